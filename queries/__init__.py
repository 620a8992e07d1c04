"""The SPARQL query catalog (one .rq file per query), shipped as package data."""
