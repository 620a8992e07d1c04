// Loads an OWL document (and, after it, the vocabularies it reuses), reports the OWL 2 DL
// profile violations of the union (OWL API) and whether HermiT finds it consistent.
// Option --ignore-unsupported-datatypes (anywhere among the paths): see below.
// Output, one per line: "violation: <text>" ..., then "violations: N", "consistent: true|false".
import java.io.File;
import java.util.HashSet;
import java.util.Set;

import org.semanticweb.HermiT.Configuration;
import org.semanticweb.HermiT.Reasoner;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.MissingImportHandlingStrategy;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyLoaderConfiguration;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;
import org.semanticweb.owlapi.util.OWLOntologyMerger;

public class OwlCheck {
    public static void main(String[] args) throws Exception {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntologyLoaderConfiguration config = new OWLOntologyLoaderConfiguration()
            .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.SILENT);
        boolean ignoreUnsupported = false;
        for (String path : args) {
            if (path.equals("--ignore-unsupported-datatypes")) {
                ignoreUnsupported = true;
                continue;
            }
            manager.loadOntologyFromOntologyDocument(new FileDocumentSource(new File(path)), config);
        }
        OWLOntology merged = new OWLOntologyMerger(manager)
            .createMergedOntology(manager, IRI.create("urn:luohu-kg:check"));
        OWLProfileReport report = new OWL2DLProfile().checkOntology(merged);
        Set<String> seen = new HashSet<String>();
        for (OWLProfileViolation violation : report.getViolations()) {
            String text = violation.toString().replace('\n', ' ');
            if (seen.add(text)) {
                System.out.println("violation: " + text);
            }
        }
        System.out.println("violations: " + report.getViolations().size());
        Configuration configuration = new Configuration();
        // Only when asked: OWL-Time (xsd:gYearMonth, xsd:duration...) and QUDT (rdf:HTML) use
        // datatypes outside the OWL 2 datatype map, on which HermiT would stop. The graph
        // alone is checked without it, so a datatype of its own that HermiT lacks fails.
        configuration.ignoreUnsupportedDatatypes = ignoreUnsupported;
        Reasoner reasoner = new Reasoner(configuration, merged);
        System.out.println("consistent: " + reasoner.isConsistent());
    }
}
