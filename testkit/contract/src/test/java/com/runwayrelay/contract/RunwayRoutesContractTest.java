package com.runwayrelay.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.runwayrelay.aws.gateway.RunwayRoutes;
import com.runwayrelay.testkit.aws.CloudFormationTemplate;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The template's app routes are exactly the routes {@link RunwayRoutes} says the gateway serves, and
 * every other {@code /v1/} request goes to the function that answers it with {@link RunwayRoutes#answerUnserved}
 * (the status function's {@code ANY /v1/{proxy+}}), so the list behind docs/api.md's SDK table cannot drift from
 * what API Gateway routes.
 */
class RunwayRoutesContractTest {
    @Test
    void templateServesExactlyTheServedRoutes_andSendsEveryOtherV1RequestToTheStatusFunction() throws IOException {
        CloudFormationTemplate template = CloudFormationTemplate.load(TemplateContractTest.REPO.resolve("template.yaml"));
        Map<String, String> routes = new TreeMap<>();
        for (var function : template.resourcesOfType("AWS::Serverless::Function").entrySet()) {
            Object events = map(function.getValue().get("Properties")).get("Events");
            for (Object event : map(events).values()) {
                Map<String, Object> e = map(event);
                if ("HttpApi".equals(e.get("Type"))) {
                    Map<String, Object> props = map(e.get("Properties"));
                    routes.put(props.get("Method") + " " + props.get("Path"), function.getKey());
                }
            }
        }
        Set<String> app = new TreeSet<>(routes.keySet());
        app.removeIf(route -> route.contains(" /admin/"));
        Set<String> served = new TreeSet<>();
        RunwayRoutes.all().stream().filter(r -> r.answer() == RunwayRoutes.Answer.SERVED)
                .forEach(r -> served.add(r.routeKey()));
        served.add("ANY /v1/{proxy+}");

        assertEquals(served, app);
        assertEquals("StatusFunction", routes.get("ANY /v1/{proxy+}"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
