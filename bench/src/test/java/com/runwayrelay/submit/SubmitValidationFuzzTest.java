package com.runwayrelay.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.aws.gateway.Problem;
import com.runwayrelay.bench.fuzz.MediaOracle;
import com.runwayrelay.catalog.Catalog;
import com.runwayrelay.catalog.MediaReference;
import com.runwayrelay.catalog.UnknownModelPolicy;
import com.runwayrelay.domain.Violation;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.owned.OwnedReferences;
import com.runwayrelay.domain.router.RouterCap;
import com.runwayrelay.domain.router.memory.InMemoryRouterCaps;
import com.runwayrelay.domain.media.AddressGuard;
import com.runwayrelay.domain.media.MediaKind;
import com.runwayrelay.domain.webhook.CallbackUrlCheck;
import java.net.IDN;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzzing of the submit path's validation: the strict body reader
 * ({@link RequestBody}) and then {@link RequestCheck} (catalog, media policy, {@code relay}
 * options, app permissions), as the handler runs them. See docs/RELIABILITY.md for the bounded
 * run; without {@code JAZZER_FUZZ} only the seeds under
 * {@code src/test/resources/com/runwayrelay/submit/SubmitValidationFuzzTestInputs} run.
 *
 * <p>Invariants checked on every input: nothing throws; a refused body is a 400 or 413 problem
 * with issues for a 400; a refused request names at least one violation, each with a code and a
 * message; and an accepted request has a catalog model of its endpoint, no {@code relay} member
 * in what goes to Runway, a body that still reads strictly once written again, media URIs that
 * satisfy {@link MediaOracle}, an https callback and metadata of at most 4096 bytes without
 * control characters.
 */
class SubmitValidationFuzzTest {
    static final Catalog CATALOG = Catalog.loadDefault();
    static final List<String> ENDPOINTS = CATALOG.endpoints().stream().sorted().toList();
    static final Instant NOW = Instant.parse("2026-11-21T06:30:00Z");
    static final App APP = App.builder("app_fuzz", "app_fuzz", NOW).dailyCreditBudget(1_000_000).maxActiveTasks(50)
            .allowedRouterConfigs(Set.of("fuzz-router", "fuzz-uncapped")).build();
    /** The router records: {@code fuzz-router} caps every kind, {@code fuzz-uncapped} none; others have no record. */
    static final InMemoryRouterCaps ROUTERS = new InMemoryRouterCaps();

    static {
        ROUTERS.put(new RouterCap("fuzz-router", "r-fuzz", Map.of("video", 300L, "image", 20L, "audio", 10L), NOW));
        ROUTERS.put(new RouterCap("fuzz-uncapped", "r-uncapped", Map.of(), NOW));
    }

    static final RequestCheck CHECK = new RequestCheck(CATALOG, UnknownModelPolicy.REJECT, MediaOracle.policy(),
            new CallbackUrlCheck(AddressGuard.strict(host -> {
                if (host.equals("hooks.example.com")) {
                    return List.of(InetAddress.getByName("93.184.215.20"));
                }
                if (host.equals("inside.example.com")) {
                    return List.of(InetAddress.getByName("10.0.0.7"));
                }
                throw new UnknownHostException(host);
            })), OwnedReferences.none(), new RouterCheck(ROUTERS, CATALOG));
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String PNG = "data:image/png;base64,iVBORw0KGgo=";
    private static final Map<String, String> TEMPLATES = Map.ofEntries(
            Map.entry("text_to_image", "{\"model\":\"gen4_image\",\"promptText\":\"x\",\"ratio\":\"1920:1080\"}"),
            Map.entry("image_to_video", "{\"model\":\"gen4_turbo\",\"promptImage\":\"" + PNG + "\",\"ratio\":\"1280:720\",\"duration\":5}"),
            Map.entry("text_to_video", "{\"model\":\"hailuo3\",\"promptText\":\"a cat\"}"),
            Map.entry("video_to_video", "{\"model\":\"aleph2\",\"videoUri\":\"runway://abcdef123456\",\"promptText\":\"snow\"}"),
            Map.entry("image_upscale", "{\"model\":\"magnific_precision_upscaler_v2\",\"imageUri\":\"" + PNG + "\"}"),
            Map.entry("video_upscale", "{\"model\":\"magnific_video_upscaler_creative\",\"videoUri\":\"runway://abcdef123456\"}"),
            Map.entry("video_to_hdr", "{\"model\":\"ruby\",\"videoUri\":\"data:video/mp4;base64,AAAAIGZ0eXBpc29t\"}"),
            Map.entry("character_performance", "{\"model\":\"act_two\",\"character\":{\"type\":\"image\",\"uri\":\"" + PNG
                    + "\"},\"reference\":{\"type\":\"video\",\"uri\":\"runway://abcdef123456\"},\"ratio\":\"1280:720\"}"),
            Map.entry("sound_effect", "{\"model\":\"seed_audio\",\"promptText\":\"rain\"}"),
            Map.entry("text_to_speech", "{\"model\":\"eleven_multilingual_v2\",\"promptText\":\"hi\",\"voice\":{\"type\":\"runway-preset\",\"presetId\":\"Rachel\"}}"),
            Map.entry("speech_to_speech", "{\"model\":\"eleven_multilingual_sts_v2\",\"voice\":{\"type\":\"runway-preset\",\"presetId\":\"Rachel\"},\"media\":{\"type\":\"audio\",\"uri\":\"data:audio/mpeg;base64,SUQz\"}}"),
            Map.entry("voice_dubbing", "{\"model\":\"eleven_voice_dubbing\",\"audioUri\":\"runway://abcdef123456\",\"targetLang\":\"fil\"}"),
            Map.entry("voice_isolation", "{\"model\":\"eleven_voice_isolation\",\"audioUri\":\"data:audio/mpeg;base64,SUQz\"}"),
            Map.entry("avatar_videos", "{\"model\":\"gwm1_avatars\",\"avatar\":{\"type\":\"runway-preset\",\"presetId\":"
                    + "\"game-character\"},\"speech\":{\"type\":\"audio\",\"audio\":\"data:audio/mpeg;base64,SUQz\"}}"),
            Map.entry("recipes/ad_localization", "{\"version\":\"2026-06\",\"referenceImage\":{\"uri\":\"" + PNG
                    + "\"},\"targetLanguage\":\"ja\"}"),
            Map.entry("recipes/marketing_stock_image", "{\"version\":\"2026-06\",\"prompt\":\"x\",\"outputCount\":2,"
                    + "\"referenceImage\":{\"uri\":\"runway://abcdef123456\"}}"),
            Map.entry("recipes/product_ad", "{\"version\":\"2026-07\",\"productImages\":[{\"uri\":\"" + PNG + "\"}],"
                    + "\"styleImages\":[{\"uri\":\"runway://abcdef123456\"}],\"duration\":8}"),
            Map.entry("recipes/product_campaign_image", "{\"version\":\"2026-06\",\"image\":{\"uri\":\"" + PNG
                    + "\"},\"prompt\":\"x\"}"),
            Map.entry("recipes/product_swap", "{\"version\":\"2026-06\",\"newProductImages\":[{\"uri\":\"" + PNG
                    + "\",\"view\":\"front\"}],\"originalProductImage\":{\"uri\":\"" + PNG + "\"},"
                    + "\"referenceVideo\":{\"uri\":\"data:video/mp4;base64,AAAAIGZ0eXBpc29t\"}}"),
            Map.entry("recipes/multi_shot_video", "{\"version\":\"2026-06\",\"mode\":\"custom\",\"duration\":5,"
                    + "\"shots\":[{\"duration\":1,\"prompt\":\"a\"},{\"duration\":2,\"prompt\":\"b\"},"
                    + "{\"duration\":2,\"prompt\":\"c\"}],\"firstFrame\":{\"uri\":\"" + PNG + "\"}}"),
            Map.entry("recipes/product_ugc", "{\"version\":\"2026-06\",\"characterImage\":{\"uri\":\"" + PNG
                    + "\"},\"productImage\":{\"uri\":\"runway://abcdef123456\"}}"),
            Map.entry("generate/video", "{\"configId\":\"fuzz-router\",\"input\":{\"promptText\":\"surf\",\"duration\":5,"
                    + "\"referenceImages\":[{\"role\":\"first\",\"uri\":\"" + PNG + "\"}],"
                    + "\"referenceVideos\":[{\"role\":\"source\",\"uri\":\"runway://abcdef123456\"}]}}"),
            Map.entry("generate/image", "{\"configId\":\"fuzz-router\",\"input\":{\"promptText\":\"a cat\","
                    + "\"outputCount\":3,\"referenceImages\":[{\"uri\":\"" + PNG + "\"}]}}"),
            Map.entry("generate/audio", "{\"configId\":\"fuzz-router\",\"input\":{\"type\":\"audio\",\"promptText\":\"rain\","
                    + "\"referenceAudios\":[{\"uri\":\"runway://abcdef123456\"}],"
                    + "\"voice\":{\"type\":\"reference-audio\",\"audioUri\":\"runway://abcdef123456\"}}}"));
    private static final List<String> FIELDS = List.of("model", "promptText", "promptImage", "ratio", "duration", "seed",
            "videoUri", "audioUri", "imageUri", "referenceImages", "uri", "type", "relay", "callbackUrl", "metadata",
            "deadline", "voice", "media", "character", "reference", "position", "contentModeration", "outputFormat", "avatar",
            "speech", "presetId", "avatarId", "audio", "text", "version", "referenceImage", "productImages", "styleImages",
            "image", "newProductImages", "originalProductImage", "referenceVideo", "shots", "firstFrame", "characterImage",
            "productImage", "mode", "prompt", "configId", "input", "referenceVideos", "referenceAudio", "referenceAudios",
            "keyframes", "role", "outputCount", "aspectRatio", "audioUri");
    private static final List<String> URI_PREFIXES = List.of("https://media.example.com/", "https://a.cdn.example.net/",
            "https://inside.cdn.example.net/", "https://127.0.0.1/", "runway://", "data:image/png;base64,",
            "data:image/svg+xml;base64,", "data:video/mp4;base64,", "data:audio/mpeg;base64,", "https://hooks.example.com/",
            "https://inside.example.com/");

    /** The mutation target starts from these; each must pass, with and without relay options. */
    @Test
    void everyTemplateIsAValidRequest_soTheAcceptedPathIsChecked() throws Exception {
        assertEquals(CATALOG.endpoints(), TEMPLATES.keySet());
        for (Map.Entry<String, String> template : TEMPLATES.entrySet()) {
            ObjectNode body = (ObjectNode) com.runwayrelay.aws.gateway.ApiResponse.JSON.readTree(template.getValue());
            body.putObject("relay").put("callbackUrl", "https://hooks.example.com/h").putObject("metadata").put("k", "v");
            for (String text : List.of(template.getValue(), body.toString())) {
                ObjectNode parsed = assertInstanceOf(RequestBody.Parsed.Ok.class, RequestBody.parse(text)).body();
                RequestCheck.Result result = CHECK.check(APP, template.getKey(), parsed, NOW);
                assertTrue(result.valid(), template.getKey() + ": " + result.violations());
                verify(template.getKey(), text);
            }
        }
    }

    /** Arbitrary text as the body of an arbitrary endpoint. */
    @FuzzTest(maxDuration = "3m")
    void checksArbitraryBodiesWithoutSurprises(FuzzedDataProvider data) {
        String endpoint = data.pickValue(ENDPOINTS);
        verify(endpoint, data.consumeRemainingAsString());
    }

    /** A valid body of an arbitrary endpoint with one to four members set to arbitrary JSON values. */
    @FuzzTest(maxDuration = "3m")
    void checksMutatedValidBodiesWithoutSurprises(FuzzedDataProvider data) throws Exception {
        String endpoint = data.pickValue(ENDPOINTS);
        ObjectNode body = (ObjectNode) com.runwayrelay.aws.gateway.ApiResponse.JSON.readTree(TEMPLATES.get(endpoint));
        int edits = data.consumeInt(1, 4);
        for (int i = 0; i < edits; i++) {
            ObjectNode target = body;
            int where = data.consumeInt(0, 3);
            if (where == 1) {
                target = body.has("relay") && body.get("relay").isObject() ? (ObjectNode) body.get("relay") : body.putObject("relay");
            } else if (where == 2) {
                ObjectNode relay = body.has("relay") && body.get("relay").isObject() ? (ObjectNode) body.get("relay") : body.putObject("relay");
                target = relay.has("metadata") && relay.get("metadata").isObject()
                        ? (ObjectNode) relay.get("metadata") : relay.putObject("metadata");
            }
            String name = data.consumeBoolean() ? data.pickValue(FIELDS) : data.consumeString(12);
            target.set(name, value(data, 0));
        }
        verify(endpoint, body.toString());
    }

    private static JsonNode value(FuzzedDataProvider data, int depth) {
        return switch (data.consumeInt(0, depth > 2 ? 6 : 8)) {
            case 0 -> NODES.textNode(data.consumeString(40));
            case 1 -> NODES.textNode(data.pickValue(URI_PREFIXES) + data.consumeString(60));
            case 2 -> NODES.numberNode(data.consumeLong());
            case 3 -> NODES.numberNode(data.consumeDouble());
            case 4 -> NODES.booleanNode(data.consumeBoolean());
            case 5 -> NODES.nullNode();
            case 6 -> NODES.numberNode(data.consumeInt(-10, 100));
            case 7 -> {
                ArrayNode array = NODES.arrayNode();
                int size = data.consumeInt(0, 4);
                for (int i = 0; i < size; i++) {
                    array.add(value(data, depth + 1));
                }
                yield array;
            }
            default -> {
                ObjectNode object = NODES.objectNode();
                int size = data.consumeInt(0, 4);
                for (int i = 0; i < size; i++) {
                    object.set(data.consumeBoolean() ? data.pickValue(FIELDS) : data.consumeString(8), value(data, depth + 1));
                }
                yield object;
            }
        };
    }

    /** Why an accepted callback URL should have been refused, or null. */
    static String callbackProblem(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "unparsable";
        }
        if (!"https".equals(uri.getScheme()) || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            return "not plain https";
        }
        String host = uri.getHost();
        if (host == null) {
            return "no host";
        }
        host = IDN.toASCII(host).toLowerCase(Locale.ROOT);
        host = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (host.equals("hooks.example.com")) {
            return null;
        }
        try {
            boolean literal = host.startsWith("[") || host.matches("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
            return literal && AddressGuard.classify(InetAddress.getByName(host.replace("[", "").replace("]", ""))).isPublic()
                    ? null : "host " + host + " is neither the public test name nor a canonical public address";
        } catch (UnknownHostException e) {
            return "host " + host + " does not parse as an address";
        }
    }

    /** The first string (key or value) in a JSON tree holding a control or bidi-override character, or null. */
    static String controlCharacter(JsonNode node) {
        if (node.isTextual()) {
            return RelayOptions.firstControl(node.textValue()) >= 0 ? node.textValue() : null;
        }
        for (var member : node.properties()) {
            if (RelayOptions.firstControl(member.getKey()) >= 0) {
                return member.getKey();
            }
        }
        for (JsonNode child : node) {
            String found = controlCharacter(child);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static JsonNode readTree(String json) {
        try {
            return com.runwayrelay.aws.gateway.ApiResponse.JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError("stored metadata is not JSON: " + json, e);
        }
    }

    /** Runs the handler's validation steps on {@code text} and checks every invariant. */
    static void verify(String endpoint, String text) {
        var raw = RequestBody.encodingProblem(text, false);
        if (raw.isPresent()) {
            assertEquals(413, raw.get().status());
            return;
        }
        RequestBody.Parsed parsed = RequestBody.parse(text);
        if (parsed instanceof RequestBody.Parsed.Refused refused) {
            Problem problem = refused.problem();
            assertEquals(400, problem.status());
            assertFalse(problem.issues().isEmpty());
            return;
        }
        ObjectNode body = assertInstanceOf(RequestBody.Parsed.Ok.class, parsed).body();
        RequestCheck.Result result = CHECK.check(APP, endpoint, body, NOW);
        if (!result.valid()) {
            for (Violation violation : result.violations()) {
                assertNotNull(violation.code());
                assertFalse(violation.message().isBlank());
            }
            return;
        }
        ObjectNode forward = result.forward();
        assertNull(forward.get(RelayOptions.FIELD), "relay must not reach Runway");
        String selector = CATALOG.selector(endpoint).orElseThrow();
        if (selector.equals("model")) {
            assertTrue(CATALOG.models(endpoint).contains(result.model()), "model " + result.model() + " of " + endpoint);
        } else if (CATALOG.freeSelector(endpoint)) { // routed: an allowed router with a recorded cap, reserved × outputs
            String configId = forward.path(selector).asText();
            assertEquals("router:" + configId, result.model());
            assertTrue(APP.allowsRouterConfig(configId), "router " + configId + " is not allowed to the app");
            long cap = ROUTERS.find(configId).orElseThrow().cap(endpoint.substring(endpoint.indexOf('/') + 1))
                    .orElseThrow(() -> new AssertionError("a routed generation without a known cap was accepted"));
            assertEquals(cap * CATALOG.outputCount(endpoint, forward), result.routedCredits());
        } else { // a recipe: recorded under its name, its version one the catalog lists and the app may use
            assertEquals(endpoint.substring(endpoint.indexOf('/') + 1), result.model());
            String version = forward.path(selector).asText();
            assertTrue(CATALOG.models(endpoint).contains(version), "version " + version + " of " + endpoint);
            assertTrue(APP.allowUnsafeLatest() || !version.equals("unsafe-latest"), "unsafe-latest reached Runway");
        }
        assertInstanceOf(RequestBody.Parsed.Ok.class, RequestBody.parse(forward.toString()), "forward body reads strictly");
        for (MediaReference reference : CATALOG.mediaReferences(endpoint, forward)) {
            Set<MediaKind> kinds = EnumSet.noneOf(MediaKind.class);
            kinds.addAll(reference.kinds());
            assertNull(MediaOracle.violatedInvariant(reference.uri(), kinds), reference.path() + ": " + reference.uri());
        }
        RelayOptions relay = result.relay();
        if (relay.callbackUrl() != null) {
            assertNull(callbackProblem(relay.callbackUrl()), relay.callbackUrl());
        }
        if (relay.metadataJson() != null) {
            assertTrue(relay.metadataJson().getBytes(StandardCharsets.UTF_8).length <= RelayOptions.MAX_METADATA_BYTES);
            assertNull(controlCharacter(readTree(relay.metadataJson())), relay.metadataJson());
        }
        CATALOG.estimateCredits(endpoint, forward);
    }
}
