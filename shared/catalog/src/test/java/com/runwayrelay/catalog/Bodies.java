package com.runwayrelay.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Request bodies for tests, written with single quotes: {@code json("{'model': 'gen4.5'}")}. */
final class Bodies {
    static final ObjectMapper JSON = new ObjectMapper();

    private Bodies() {}

    static ObjectNode json(String singleQuoted) {
        try {
            JsonNode node = JSON.readTree(singleQuoted.replace('\'', '"'));
            return (ObjectNode) node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("bad test JSON: " + singleQuoted, e);
        }
    }

    /** A body with one field replaced or added. */
    static ObjectNode with(ObjectNode body, String field, Object value) {
        ObjectNode copy = body.deepCopy();
        copy.set(field, JSON.valueToTree(value));
        return copy;
    }

    /** A body without some fields. */
    static ObjectNode without(ObjectNode body, String... fields) {
        ObjectNode copy = body.deepCopy();
        copy.remove(java.util.List.of(fields));
        return copy;
    }

    static String repeat(String s, int times) {
        return s.repeat(times);
    }
}
