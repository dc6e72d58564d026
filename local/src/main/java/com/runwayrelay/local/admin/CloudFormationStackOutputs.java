package com.runwayrelay.local.admin;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * CloudFormation's {@code DescribeStacks}, one call of its query API signed by the SDK's SigV4 signer
 * (service {@code cloudformation}). The SDK's own {@code cloudformation} client is not used: the
 * registry the build reaches does not serve it at the SDK version the project is on, and SDK modules
 * of different versions must not be mixed (see {@code docs/decisions.md}).
 */
final class CloudFormationStackOutputs implements StackOutputs {
    private final SignedHttp http;
    private final AwsCredentialsProvider credentials;
    private final String region;
    private final Function<String, URI> endpoint;

    CloudFormationStackOutputs(SignedHttp http, AwsCredentialsProvider credentials, String region, Function<String, URI> endpoint) {
        this.http = http;
        this.credentials = credentials;
        this.region = region;
        this.endpoint = endpoint;
    }

    /** CloudFormation's public endpoint in a region. */
    static URI endpoint(String region) {
        return URI.create("https://cloudformation." + region + ".amazonaws.com" + (region.startsWith("cn-") ? ".cn" : "") + "/");
    }

    @Override
    public Map<String, String> outputs(String stackName) {
        String form = "Action=DescribeStacks&StackName=" + SdkHttpUtils.urlEncode(stackName) + "&Version=2010-05-15";
        SignedHttp.Answer answer;
        URI uri = endpoint.apply(region);
        try {
            answer = http.send("POST", uri, Map.of("content-type", "application/x-www-form-urlencoded; charset=utf-8"),
                    form.getBytes(StandardCharsets.UTF_8), credentials, region, "cloudformation");
        } catch (IOException e) {
            throw new StackLookupException("cannot reach CloudFormation at " + uri + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackLookupException("interrupted while reading stack " + stackName, e);
        } catch (SdkClientException e) {
            throw new StackLookupException("no AWS credentials to read stack " + stackName + " with: " + e.getMessage(), e);
        }
        Document xml = parse(answer.body(), answer.status());
        if (answer.status() != 200) {
            String code = text(xml.getDocumentElement(), "Code");
            String message = text(xml.getDocumentElement(), "Message");
            throw new StackLookupException("CloudFormation refused DescribeStacks for stack '" + stackName + "' in " + region
                    + " (" + answer.status() + (code.isEmpty() ? "" : " " + code) + ")" + (message.isEmpty() ? "" : ": " + message));
        }
        NodeList stacks = xml.getElementsByTagName("Stacks");
        if (stacks.getLength() == 0 || children((Element) stacks.item(0), "member").isEmpty()) {
            throw new StackLookupException("CloudFormation knows no stack '" + stackName + "' in " + region);
        }
        Element stack = children((Element) stacks.item(0), "member").getFirst();
        Map<String, String> outputs = new LinkedHashMap<>();
        for (Element outputsElement : children(stack, "Outputs")) {
            for (Element output : children(outputsElement, "member")) {
                outputs.put(text(output, "OutputKey"), text(output, "OutputValue"));
            }
        }
        return outputs;
    }

    private static Document parse(String body, int status) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            // The answer is data, never a document that may pull in other documents.
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            return builder.parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new StackLookupException("CloudFormation answered " + status + " with something that is not its XML: "
                    + abbreviate(body), e);
        }
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element element && name.equals(element.getLocalName() == null ? element.getTagName() : element.getLocalName())) {
                found.add(element);
            }
        }
        return found;
    }

    private static String text(Element parent, String name) {
        NodeList nodes = parent.getElementsByTagName(name);
        return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().strip();
    }

    private static String abbreviate(String body) {
        String flat = body == null ? "" : body.replaceAll("\\s+", " ").strip();
        return flat.length() <= 200 ? flat : flat.substring(0, 200) + "…";
    }
}
