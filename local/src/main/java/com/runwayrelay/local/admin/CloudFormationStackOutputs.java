package com.runwayrelay.local.admin;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.DescribeStacksResponse;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Stack;

/** CloudFormation's {@code DescribeStacks} through the SDK's {@link CloudFormationClient}. */
final class CloudFormationStackOutputs implements StackOutputs {
    private final CloudFormationClient cloudFormation;
    private final String region;

    CloudFormationStackOutputs(CloudFormationClient cloudFormation, String region) {
        this.cloudFormation = Objects.requireNonNull(cloudFormation, "cloudFormation");
        this.region = Objects.requireNonNull(region, "region");
    }

    /** CloudFormation of {@code region}, signing with {@code credentials}; {@code endpoint} only for tests (null: AWS's). */
    static CloudFormationStackOutputs create(AwsCredentialsProvider credentials, String region, URI endpoint) {
        var builder = CloudFormationClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(region))
                .credentialsProvider(credentials);
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return new CloudFormationStackOutputs(builder.build(), region);
    }

    @Override
    public Map<String, String> outputs(String stackName) {
        DescribeStacksResponse answer;
        try {
            answer = cloudFormation.describeStacks(request -> request.stackName(stackName));
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? "" : " " + e.awsErrorDetails().errorCode();
            String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
            throw new StackLookupException("CloudFormation refused DescribeStacks for stack '" + stackName + "' in " + region
                    + " (" + e.statusCode() + code + ")" + (message == null || message.isBlank() ? "" : ": " + message), e);
        } catch (SdkException e) {
            throw new StackLookupException("cannot read stack '" + stackName + "' from CloudFormation in " + region + ": "
                    + e.getMessage(), e);
        }
        if (answer.stacks().isEmpty()) {
            throw new StackLookupException("CloudFormation knows no stack '" + stackName + "' in " + region);
        }
        Stack stack = answer.stacks().getFirst();
        Map<String, String> outputs = new LinkedHashMap<>();
        for (Output output : stack.outputs()) {
            outputs.put(output.outputKey(), output.outputValue());
        }
        return outputs;
    }
}
