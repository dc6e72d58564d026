package com.runwayrelay.aws.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class EmfDocumentTest {
    private static final String VALID = """
            {"_aws":{"Timestamp":1795329120000,"CloudWatchMetrics":[{"Namespace":"RunwayRelay",\
            "Dimensions":[["Service","Outcome"]],"Metrics":[{"Name":"Submits","Unit":"Count"}]}]},\
            "Service":"runway-relay","Outcome":"accepted","Submits":[1,1]}""";

    @Test
    void readsAValidDocument() {
        EmfDocument document = EmfDocument.parse(VALID).orElseThrow();

        assertEquals(1_795_329_120_000L, document.timestamp().toEpochMilli());
        assertEquals(List.of(new EmfDocument.MetricDefinition("Submits", "Count", List.of(1.0, 1.0))),
                document.directives().getFirst().metrics());
    }

    @Test
    void ignoresOrdinaryLogLines() {
        assertTrue(EmfDocument.parse("{\"event\":\"poller.run\",\"claimed\":3}").isEmpty());
        assertTrue(EmfDocument.parse("plain text mentioning \"_aws\"").isEmpty());
    }

    @Test
    void refusesDocumentsThatBreakTheSpecification() {
        for (String broken : List.of(
                VALID.replace("\"Timestamp\":1795329120000,", ""),
                VALID.replace("\"Unit\":\"Count\"", "\"Unit\":\"Credits\""),
                VALID.replace(",\"Outcome\":\"accepted\"", ""),
                VALID.replace(",\"Submits\":[1,1]", ""),
                VALID.replace("\"Submits\":[1,1]", "\"Submits\":\"one\""),
                VALID.replace("\"Namespace\":\"RunwayRelay\",", ""),
                VALID.replace("\"CloudWatchMetrics\":[{", "\"CloudWatchMetrics\":[],\"x\":[{"))) {
            assertThrows(EmfDocument.InvalidEmfException.class, () -> EmfDocument.parse(broken), broken);
        }
    }
}
