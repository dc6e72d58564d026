package com.runwayrelay.admin;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.runwayrelay.aws.AwsClients;
import com.runwayrelay.aws.config.AwsSettings;
import com.runwayrelay.aws.config.Env;
import com.runwayrelay.aws.dynamodb.DynamoDbAppRepository;
import com.runwayrelay.catalog.Catalog;
import com.runwayrelay.domain.admin.AppAdministration;
import com.runwayrelay.domain.admin.KnownNames;
import com.runwayrelay.domain.media.AddressGuard;
import com.runwayrelay.domain.media.HostResolver;
import com.runwayrelay.domain.webhook.CallbackUrlCheck;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Composition root of the admin function: reads the configuration and wires the use cases, once. */
public final class AdminFunction {
    private AdminFunction() {
    }

    public static Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env, HostResolver.system());
    }

    /** As {@link #fromEnvironment(Map)}, resolving callback hosts with {@code resolver}. */
    public static Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> fromEnvironment(Map<String, String> env,
                                                                                             HostResolver resolver) {
        AdminConfig config = AdminConfig.from(new Env(env));
        AwsClients aws = new AwsClients(AwsSettings.from(env));
        DynamoDbClient dynamo = aws.dynamoDb();
        Clock clock = Clock.systemUTC();
        AppAdministration apps = new AppAdministration(new DynamoDbAppRepository(dynamo, config.table()),
                knownNames(Catalog.loadDefault()), new CallbackUrlCheck(new AddressGuard(resolver, config.allowLoopbackHttp())),
                clock);
        return new AdminApi(apps);
    }

    /** Every endpoint and model of the catalog. */
    static KnownNames knownNames(Catalog catalog) {
        Set<String> models = new TreeSet<>();
        catalog.endpoints().forEach(endpoint -> models.addAll(catalog.models(endpoint)));
        return new KnownNames(catalog.endpoints(), models);
    }
}
