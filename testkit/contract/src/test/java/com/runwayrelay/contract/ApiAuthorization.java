package com.runwayrelay.contract;

import com.runwayrelay.testkit.aws.CloudFormationTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks who may call which route of the HTTP API: every {@code /admin/} route is
 * {@code AWS_IAM}-authorized (SigV4, the operator's IAM principal), no other route is (apps call
 * those with their own keys), and the API enables the IAM authorizer the admin routes name.
 */
final class ApiAuthorization {
    static final String ADMIN_PREFIX = "/admin/";
    private static final String IAM = "AWS_IAM";

    private ApiAuthorization() {
    }

    /** Every route whose authorization is wrong, each naming the function, the route and what is wrong. */
    static List<String> problems(CloudFormationTemplate template) {
        List<String> problems = new ArrayList<>();
        boolean anyIam = false;
        for (var function : template.resourcesOfType("AWS::Serverless::Function").entrySet()) {
            Map<String, Object> props = map(function.getValue().get("Properties"));
            for (var event : map(props.get("Events")).entrySet()) {
                Map<String, Object> eventMap = map(event.getValue());
                if (!"HttpApi".equals(eventMap.get("Type"))) {
                    continue;
                }
                Map<String, Object> eventProps = map(eventMap.get("Properties"));
                String route = eventProps.get("Method") + " " + eventProps.get("Path");
                Object authorizer = map(eventProps.get("Auth")).get("Authorizer");
                boolean admin = String.valueOf(eventProps.get("Path")).startsWith(ADMIN_PREFIX);
                if (admin && !IAM.equals(authorizer)) {
                    problems.add(function.getKey() + ": admin route " + route + " is not AWS_IAM-authorized (Authorizer: "
                            + authorizer + ")");
                } else if (!admin && authorizer != null && !"NONE".equals(authorizer)) {
                    problems.add(function.getKey() + ": public route " + route + " names authorizer " + authorizer
                            + "; apps authenticate with their keys there");
                }
                anyIam |= IAM.equals(authorizer);
            }
        }
        for (var api : template.resourcesOfType("AWS::Serverless::HttpApi").entrySet()) {
            Map<String, Object> auth = map(map(api.getValue().get("Properties")).get("Auth"));
            if (anyIam && !Boolean.TRUE.equals(auth.get("EnableIamAuthorizer"))) {
                problems.add(api.getKey() + ": routes use AWS_IAM but Auth.EnableIamAuthorizer is not true");
            }
            if (auth.get("DefaultAuthorizer") != null) {
                problems.add(api.getKey() + ": a DefaultAuthorizer (" + auth.get("DefaultAuthorizer")
                        + ") would apply to the public routes too");
            }
        }
        return problems;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
