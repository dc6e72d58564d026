package com.runwayrelay.local.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code DescribeStacks} against a loopback stand-in for CloudFormation's query API (no network). */
class CloudFormationStackOutputsTest {
    private final FakeAwsServer cloudFormation = new FakeAwsServer(FakeAwsServer.CREDENTIALS, "eu-west-1", "cloudformation");
    private final CloudFormationStackOutputs stacks = new CloudFormationStackOutputs(SignedHttp.create(), cloudFormation.credentials(),
            "eu-west-1", region -> URI.create(cloudFormation.url() + "/"));

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
        assertEquals("Action=DescribeStacks&StackName=relay%20prod&Version=2010-05-15", request.body());
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

        assertTrue(e.getMessage().contains("not its XML"), e.getMessage());
    }

    @Test
    void publicEndpointsFollowTheRegionsPartition() {
        assertEquals(URI.create("https://cloudformation.eu-west-1.amazonaws.com/"), CloudFormationStackOutputs.endpoint("eu-west-1"));
        assertEquals(URI.create("https://cloudformation.cn-north-1.amazonaws.com.cn/"), CloudFormationStackOutputs.endpoint("cn-north-1"));
    }
}
