# title: RDF Data Cube normalisation (phases 1 and 2), our own SPARQL Update
# question: What does an abbreviated cube imply: observation and data set types, each component
#   specification's qb:componentProperty and the kind of that property, and attributes attached
#   at data-set or slice level pushed down to the observations?
# result: the triples added to a copy of the graph before the integrity constraints run
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>

INSERT { ?o rdf:type qb:Observation } WHERE { [] qb:observation ?o } ;
INSERT { ?o rdf:type qb:Observation } WHERE { ?o qb:dataSet [] } ;
INSERT { ?d rdf:type qb:DataSet } WHERE { [] qb:dataSet ?d } ;
INSERT { ?s rdf:type qb:Slice } WHERE { [] qb:slice ?s } ;
INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:DimensionProperty } WHERE { ?cs qb:dimension ?p } ;
INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:MeasureProperty } WHERE { ?cs qb:measure ?p } ;
INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:AttributeProperty } WHERE { ?cs qb:attribute ?p } ;
# phase 2: values given once for a data set or a slice hold for each of its observations
INSERT { ?o ?p ?v } WHERE {
  ?o qb:dataSet ?d . ?d qb:structure/qb:component ?cs .
  ?cs qb:componentProperty ?p ; qb:componentAttachment qb:DataSet .
  ?d ?p ?v .
} ;
INSERT { ?o ?p ?v } WHERE {
  ?d qb:slice ?s . ?s qb:observation ?o . ?d qb:structure/qb:component ?cs .
  ?cs qb:componentProperty ?p ; qb:componentAttachment qb:Slice .
  ?s ?p ?v .
}
