package com.runwayrelay.contract;

import com.runwayrelay.testkit.aws.CloudFormationTemplate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A function's IAM actions two ways: what its template policy grants, and what its code calls,
 * found in the bytecode of every gateway class its composition root reaches (SDK client calls, and
 * for DynamoDB transactions the kinds of write they hold). Least privilege is the two being equal.
 */
final class FunctionPolicy {
    private static final String ROOT = "com.runwayrelay.";
    /** SDK method (owner simple name + method) → IAM action. */
    private static final Map<String, String> ACTIONS = Map.ofEntries(
            Map.entry("DynamoDbClient.getItem", "dynamodb:GetItem"),
            Map.entry("DynamoDbClient.putItem", "dynamodb:PutItem"),
            Map.entry("DynamoDbClient.updateItem", "dynamodb:UpdateItem"),
            Map.entry("DynamoDbClient.deleteItem", "dynamodb:DeleteItem"),
            Map.entry("DynamoDbClient.query", "dynamodb:Query"),
            Map.entry("DynamoDbClient.queryPaginator", "dynamodb:Query"),
            Map.entry("DynamoDbClient.batchGetItem", "dynamodb:BatchGetItem"),
            Map.entry("DynamoDbClient.scan", "dynamodb:Scan"),
            Map.entry("TransactWriteItem$Builder.put", "dynamodb:PutItem"),
            Map.entry("TransactWriteItem$Builder.update", "dynamodb:UpdateItem"),
            Map.entry("TransactWriteItem$Builder.delete", "dynamodb:DeleteItem"),
            Map.entry("TransactWriteItem$Builder.conditionCheck", "dynamodb:ConditionCheckItem"),
            Map.entry("S3Client.getObject", "s3:GetObject"),
            Map.entry("S3Client.headObject", "s3:GetObject"),
            Map.entry("S3Client.deleteObject", "s3:DeleteObject"),
            Map.entry("S3Client.putObject", "s3:PutObject"),
            Map.entry("S3Presigner.presignGetObject", "s3:GetObject"),
            Map.entry("SqsClient.getQueueAttributes", "sqs:GetQueueAttributes"),
            Map.entry("CloudWatchClient.listMetrics", "cloudwatch:ListMetrics"),
            Map.entry("CloudWatchClient.listMetricsPaginator", "cloudwatch:ListMetrics"),
            Map.entry("CloudWatchClient.getMetricData", "cloudwatch:GetMetricData"),
            Map.entry("CloudWatchClient.getMetricDataPaginator", "cloudwatch:GetMetricData"),
            Map.entry("SecretsManagerClient.getSecretValue", "secretsmanager:GetSecretValue"));

    private FunctionPolicy() {
    }

    /** The actions the function's {@code Policies} statements allow. */
    static Set<String> granted(CloudFormationTemplate template, String function) {
        Set<String> actions = new TreeSet<>();
        Object policies = template.properties(function).get("Policies");
        if (policies instanceof List<?> list) {
            for (Object policy : list) {
                if (policy instanceof Map<?, ?> document && document.get("Statement") instanceof List<?> statements) {
                    for (Object statement : statements) {
                        if (statement instanceof Map<?, ?> s && "Allow".equals(s.get("Effect"))) {
                            Object action = s.get("Action");
                            if (action instanceof List<?> many) {
                                many.forEach(a -> actions.add(String.valueOf(a)));
                            } else if (action != null) {
                                actions.add(String.valueOf(action));
                            }
                        }
                    }
                }
            }
        }
        return actions;
    }

    /** The actions the code reachable from {@code compositionRoot} calls. */
    static Set<String> called(JavaClasses classes, String compositionRoot) {
        Set<String> actions = new TreeSet<>();
        for (JavaClass type : reachable(classes, compositionRoot)) {
            for (JavaMethodCall call : type.getMethodCallsFromSelf()) {
                JavaClass owner = call.getTargetOwner();
                String name = owner.getName().substring(owner.getPackageName().length() + 1) + "." + call.getName();
                String action = ACTIONS.get(name);
                if (action != null) {
                    actions.add(action);
                }
            }
        }
        return actions;
    }

    /** Gateway classes the root depends on, transitively (nested classes and lambdas included). */
    static Set<JavaClass> reachable(JavaClasses classes, String compositionRoot) {
        Set<JavaClass> seen = new HashSet<>();
        Deque<JavaClass> queue = new ArrayDeque<>(List.of(classes.get(compositionRoot)));
        while (!queue.isEmpty()) {
            JavaClass next = queue.pop();
            if (!seen.add(next)) {
                continue;
            }
            next.getDirectDependenciesFromSelf().forEach(dependency -> {
                JavaClass target = dependency.getTargetClass();
                if (target.getName().startsWith(ROOT) && classes.contain(target.getName())) {
                    queue.add(classes.get(target.getName()));
                }
            });
        }
        return seen;
    }
}
