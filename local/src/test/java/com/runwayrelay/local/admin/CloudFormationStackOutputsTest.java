package com.runwayrelay.local.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code DescribeStacks} through the SDK's client against a loopback stand-in for CloudFormation's query API (no network). */
class CloudFormationStackOutputsTest {
    private final FakeAwsServer cloudFormation = new FakeAwsServer(FakeAwsServer.CREDENTIALS, "eu-west-1", "cloudformation");
    private final CloudFormationStackOutputs stacks = CloudFormationStackOutputs.create(cloudFormation.credentials(),
            "eu-west-1", URI.create(cloudFormation.url() + "/"));

    @AfterEach
    void stop() {
        cloudFormation.close();
    }

    @Test
    void readsEveryOutput_withASignedDescribeStacks() {
        cloudFormation.answer("POST", "/", new FakeAwsServer.Answer(200, "text/xml", """
                <DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
                  <DescribeStacksResult><Stacks><member>
                    <StackName>relay prod</StackName>
                    <Parameters><member><ParameterKey>DueShards</ParameterKey><ParameterValue>8</ParameterValue></member></Parameters>
                    <Outputs>
                      <member><Description>Base URL</Description><OutputKey>ApiUrl</OutputKey>
                        <OutputValue>https://abc123.execute-api.eu-west-1.amazonaws.com</OutputValue></member>
                      <member><OutputKey>TableName</OutputKey><OutputValue>relay-TaskTable</OutputValue></member>
                    </Outputs>
                  </member></Stacks></DescribeStacksResult>
                </DescribeStacksResponse>"""));

        Map<String, String> outputs = stacks.outputs("relay prod");

        assertEquals(Map.of("ApiUrl", "https://abc123.execute-api.eu-west-1.amazonaws.com", "TableName", "relay-TaskTable"), outputs);
        FakeAwsServer.Received request = cloudFormation.last();
        assertTrue(request.signatureValid(), "signature: " + request);
        assertTrue(request.credentialScope().endsWith("/eu-west-1/cloudformation"), request.credentialScope());
        assertTrue(request.body().contains("Action=DescribeStacks"), request.body());
        assertTrue(request.body().contains("StackName=relay%20prod") || request.body().contains("StackName=relay+prod"),
                request.body());
    }

    @Test
    void namesCloudFormationsError_whenTheStackDoesNotExist() {
        cloudFormation.answer("POST", "/", new FakeAwsServer.Answer(400, "text/xml", """
                <ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
                  <Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id nope does not exist</Message></Error>
                  <RequestId>r-1</RequestId>
                </ErrorResponse>"""));

        StackLookupException e = assertThrows(StackLookupException.class, () -> stacks.outputs("nope"));

        assertTrue(e.getMessage().contains("(400 ValidationError): Stack with id nope does not exist"), e.getMessage());
    }

    @Test
    void refusesAnAnswerThatIsNotItsXml_andADocumentType() {
        cloudFormation.answer("POST", "/", new FakeAwsServer.Answer(200, "text/xml",
                "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>"));

        StackLookupException e = assertThrows(StackLookupException.class, () -> stacks.outputs("relay"));

        // The SDK's XML reader refuses the document type: no entity is expanded, no file read.
        assertTrue(e.getMessage().contains("Could not parse XML response"), e.getMessage());
        assertFalse(e.getMessage().contains("root:"), e.getMessage());
    }

    @Test
    void namesTheFailure_whenCloudFormationCannotBeReached() {
        URI closed = URI.create(cloudFormation.url() + "/");
        cloudFormation.close();

        StackLookupException e = assertThrows(StackLookupException.class, () -> CloudFormationStackOutputs.create(
                cloudFormation.credentials(), "eu-west-1", closed).outputs("relay"));

        assertTrue(e.getMessage().startsWith("cannot read stack 'relay' from CloudFormation in eu-west-1: "), e.getMessage());
    }
}
