package com.runwayrelay.testkit.aws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;

/**
 * What the project relies on from DynamoDB and S3, checked against one backend. Subclasses
 * supply the backend (the in-process emulators, LocalStack); the checks are the same for all.
 * Every test uses its own keys, so tests need no cleanup and can share a backend.
 */
abstract class AwsBackendContract {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String DUE_INDEX = "due-index";

    /** The backend under test, with the template's table and the bucket already created. */
    abstract AwsBackend backend();

    // ------------------------------------------------------------------ DynamoDB

    @Test
    void createdTable_matchesTemplate() {
        Map<String, Object> properties = CloudFormationTemplate.fromClasspath().properties("TaskTable");
        TableDescription table = backend().dynamoDb().describeTable(r -> r.tableName(backend().tableName())).table();

        assertEquals(pairs(properties.get("KeySchema"), "AttributeName", "KeyType"),
                table.keySchema().stream().map(k -> k.attributeName() + "=" + k.keyTypeAsString()).toList());
        assertEquals(Set.copyOf(pairs(properties.get("AttributeDefinitions"), "AttributeName", "AttributeType")),
                table.attributeDefinitions().stream().map(a -> a.attributeName() + "=" + a.attributeTypeAsString()).collect(Collectors.toSet()));
        assertEquals(properties.get("BillingMode"), table.billingModeSummary().billingModeAsString());

        List<?> templateIndexes = (List<?>) properties.get("GlobalSecondaryIndexes");
        assertEquals(templateIndexes.size(), table.globalSecondaryIndexes().size());
        for (Object element : templateIndexes) {
            Map<?, ?> templateIndex = (Map<?, ?>) element;
            GlobalSecondaryIndexDescription index = table.globalSecondaryIndexes().stream()
                    .filter(candidate -> candidate.indexName().equals(templateIndex.get("IndexName"))).findFirst().orElseThrow();
            assertEquals(pairs(templateIndex.get("KeySchema"), "AttributeName", "KeyType"),
                    index.keySchema().stream().map(k -> k.attributeName() + "=" + k.keyTypeAsString()).toList());
            assertEquals(((Map<?, ?>) templateIndex.get("Projection")).get("ProjectionType"), index.projection().projectionTypeAsString());
        }

        Map<?, ?> stream = (Map<?, ?>) properties.get("StreamSpecification");
        assertTrue(table.streamSpecification().streamEnabled());
        assertEquals(stream.get("StreamViewType"), table.streamSpecification().streamViewTypeAsString());
    }

    @Test
    void timeToLive_isEnabled_onTemplateAttribute() {
        Map<?, ?> ttl = (Map<?, ?>) CloudFormationTemplate.fromClasspath().properties("TaskTable").get("TimeToLiveSpecification");
        TimeToLiveDescription description = backend().dynamoDb()
                .describeTimeToLive(r -> r.tableName(backend().tableName())).timeToLiveDescription();
        assertEquals(TimeToLiveStatus.ENABLED, description.timeToLiveStatus());
        assertEquals(ttl.get("AttributeName"), description.attributeName());
    }

    @Test
    void conditionalPut_throwsConditionalCheckFailed_whenItemExists() {
        Map<String, AttributeValue> item = Map.of("pk", s(newKey()), "version", n(1));
        backend().dynamoDb().putItem(r -> r.tableName(backend().tableName()).item(item).conditionExpression("attribute_not_exists(pk)"));

        assertThrows(ConditionalCheckFailedException.class, () -> backend().dynamoDb().putItem(r -> r
                .tableName(backend().tableName()).item(item).conditionExpression("attribute_not_exists(pk)")));
    }

    @Test
    void conditionalUpdate_throwsConditionalCheckFailed_whenVersionIsStale() {
        String pk = newKey();
        backend().dynamoDb().putItem(r -> r.tableName(backend().tableName()).item(Map.of("pk", s(pk), "version", n(2), "state", s("SUBMITTED"))));

        assertThrows(ConditionalCheckFailedException.class, () -> backend().dynamoDb().updateItem(r -> r
                .tableName(backend().tableName()).key(Map.of("pk", s(pk)))
                .updateExpression("SET #state = :next, version = :newVersion")
                .conditionExpression("version = :expected")
                .expressionAttributeNames(Map.of("#state", "state"))
                .expressionAttributeValues(Map.of(":next", s("FAILED"), ":newVersion", n(2), ":expected", n(1)))));
        assertEquals("SUBMITTED", item(pk).get("state").s());
    }

    @Test
    void transactWrite_isCancelledAsAWhole_whenOneConditionFails() {
        String written = newKey();
        String absent = newKey();
        TransactionCanceledException e = assertThrows(TransactionCanceledException.class, () -> backend().dynamoDb()
                .transactWriteItems(r -> r.transactItems(
                        TransactWriteItem.builder().put(Put.builder().tableName(backend().tableName())
                                .item(Map.of("pk", s(written))).conditionExpression("attribute_not_exists(pk)").build()).build(),
                        TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(backend().tableName())
                                .key(Map.of("pk", s(absent))).conditionExpression("attribute_exists(pk)").build()).build())));

        assertEquals(List.of("None", "ConditionalCheckFailed"), e.cancellationReasons().stream().map(CancellationReason::code).toList());
        assertTrue(item(written).isEmpty(), "the first write must be rolled back with the failed check");
    }

    @Test
    void dueIndex_holdsOnlyItemsWithDueAttributes_andProjectsKeysOnly() {
        int shard = ThreadLocalRandom.current().nextInt(1_000_000, 2_000_000);
        String due = newKey();
        String later = newKey();
        String idle = newKey();
        put(Map.of("pk", s(due), "dueShard", n(shard), "dueAt", n(1_000), "state", s("SUBMITTED")));
        put(Map.of("pk", s(later), "dueShard", n(shard), "dueAt", n(5_000), "state", s("SUBMITTED")));
        put(Map.of("pk", s(idle), "state", s("ARCHIVED")));

        List<Map<String, AttributeValue>> dueNow = queryDue(shard, 2_000);
        assertEquals(List.of(due), dueNow.stream().map(item -> item.get("pk").s()).toList());
        assertEquals(Set.of("pk", "dueShard", "dueAt"), dueNow.getFirst().keySet(), "KEYS_ONLY projection");
        assertEquals(List.of(due, later), queryDue(shard, 10_000).stream().map(item -> item.get("pk").s()).toList());

        backend().dynamoDb().updateItem(r -> r.tableName(backend().tableName()).key(Map.of("pk", s(due)))
                .updateExpression("REMOVE dueShard, dueAt"));
        assertEquals(List.of(later), queryDue(shard, 10_000).stream().map(item -> item.get("pk").s()).toList());
    }

    @Test
    void stream_showsInsertAndModify_withNewAndOldImages() throws InterruptedException {
        String pk = newKey();
        put(Map.of("pk", s(pk), "state", s("ACCEPTED")));
        backend().dynamoDb().updateItem(r -> r.tableName(backend().tableName()).key(Map.of("pk", s(pk)))
                .updateExpression("SET #state = :state").expressionAttributeNames(Map.of("#state", "state"))
                .expressionAttributeValues(Map.of(":state", s("OUTPUT_READY"))));

        List<Record> records = streamRecords(pk, 2);

        assertEquals(List.of(OperationType.INSERT, OperationType.MODIFY), records.stream().map(Record::eventName).toList());
        Record insert = records.get(0);
        Record modify = records.get(1);
        assertEquals(StreamViewType.NEW_AND_OLD_IMAGES, modify.dynamodb().streamViewType());
        assertEquals("ACCEPTED", insert.dynamodb().newImage().get("state").s());
        assertTrue(insert.dynamodb().oldImage().isEmpty(), "an INSERT has no old image");
        assertEquals("ACCEPTED", modify.dynamodb().oldImage().get("state").s());
        assertEquals("OUTPUT_READY", modify.dynamodb().newImage().get("state").s());
        assertEquals(pk, modify.dynamodb().keys().get("pk").s());
    }

    // ------------------------------------------------------------------ S3

    @Test
    void putObject_thenGetObject_returnsSameBytes() {
        String key = newObjectKey();
        byte[] body = randomBytes(100_000);
        backend().s3().putObject(r -> r.bucket(backend().bucketName()).key(key).contentType("image/png"), RequestBody.fromBytes(body));

        var object = backend().s3().getObjectAsBytes(r -> r.bucket(backend().bucketName()).key(key));
        assertArrayEquals(body, object.asByteArray());
        assertEquals("image/png", object.response().contentType());
    }

    @Test
    void multipartUpload_assemblesParts_andIsListedUntilCompleted() {
        String key = newObjectKey();
        byte[] first = randomBytes(5 * 1024 * 1024);
        byte[] second = randomBytes(1024);
        String uploadId = backend().s3().createMultipartUpload(r -> r.bucket(backend().bucketName()).key(key).contentType("video/mp4")).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        parts.add(uploadPart(key, uploadId, 1, first));
        parts.add(uploadPart(key, uploadId, 2, second));
        assertTrue(openUploads(key).contains(uploadId));

        backend().s3().completeMultipartUpload(r -> r.bucket(backend().bucketName()).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts)));

        byte[] stored = backend().s3().getObjectAsBytes(r -> r.bucket(backend().bucketName()).key(key)).asByteArray();
        byte[] expected = new byte[first.length + second.length];
        System.arraycopy(first, 0, expected, 0, first.length);
        System.arraycopy(second, 0, expected, first.length, second.length);
        assertArrayEquals(expected, stored);
        assertFalse(openUploads(key).contains(uploadId));
    }

    @Test
    void multipartUpload_leavesNothing_whenAborted() {
        String key = newObjectKey();
        String uploadId = backend().s3().createMultipartUpload(r -> r.bucket(backend().bucketName()).key(key)).uploadId();
        uploadPart(key, uploadId, 1, randomBytes(1024));
        assertTrue(openUploads(key).contains(uploadId));

        backend().s3().abortMultipartUpload(r -> r.bucket(backend().bucketName()).key(key).uploadId(uploadId));

        assertFalse(openUploads(key).contains(uploadId));
        assertThrows(NoSuchKeyException.class, () -> backend().s3().headObject(r -> r.bucket(backend().bucketName()).key(key)));
    }

    @Test
    void presignedGet_downloadsExactBytes_withPlainHttp() throws Exception {
        String key = newObjectKey();
        byte[] body = randomBytes(300_000);
        putBytes(key, body);

        HttpResponse<byte[]> response = get(presign(key, Duration.ofMinutes(5)));

        assertEquals(200, response.statusCode());
        assertArrayEquals(body, response.body());
    }

    @Test
    void presignedGet_isForbidden_whenSignatureTampered() throws Exception {
        String key = newObjectKey();
        putBytes(key, randomBytes(10));
        String url = presign(key, Duration.ofMinutes(5)).toString();
        int at = url.indexOf("X-Amz-Signature=") + "X-Amz-Signature=".length();
        char flipped = url.charAt(at) == '0' ? '1' : '0';
        URI tampered = URI.create(url.substring(0, at) + flipped + url.substring(at + 1));

        assertEquals(403, get(tampered).statusCode());
    }

    @Test
    void presignedGet_isForbidden_whenKeySwapped() throws Exception {
        String signedKey = newObjectKey();
        String otherKey = newObjectKey();
        putBytes(signedKey, randomBytes(10));
        putBytes(otherKey, randomBytes(10));
        URI signed = presign(signedKey, Duration.ofMinutes(5));
        URI swapped = URI.create(signed.toString().replace("/" + signedKey + "?", "/" + otherKey + "?"));
        assertNotEquals(signed, swapped);

        assertEquals(403, get(swapped).statusCode());
    }

    @Test
    void presignedGet_isForbidden_whenExpired() throws Exception {
        String key = newObjectKey();
        putBytes(key, randomBytes(10));
        long signedAt = System.nanoTime();
        URI link = presign(key, Duration.ofSeconds(2));
        assertEquals(200, get(link).statusCode(), "fresh link works");

        // X-Amz-Date has whole seconds, so the link dies at most 2 s after signing; wait a bit past that.
        long waitMillis = Duration.ofMillis(3_200).minusNanos(System.nanoTime() - signedAt).toMillis();
        Thread.sleep(Math.max(0, waitMillis));

        assertEquals(403, get(link).statusCode());
    }

    // ------------------------------------------------------------------ helpers

    private static String newKey() {
        return "test#" + UUID.randomUUID();
    }

    private static String newObjectKey() {
        return "tests/" + UUID.randomUUID() + "/output.bin";
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    private static List<String> pairs(Object list, String first, String second) {
        return ((List<?>) list).stream().map(element -> (Map<?, ?>) element)
                .map(map -> map.get(first) + "=" + map.get(second)).toList();
    }

    private void put(Map<String, AttributeValue> item) {
        backend().dynamoDb().putItem(r -> r.tableName(backend().tableName()).item(item));
    }

    private Map<String, AttributeValue> item(String pk) {
        return backend().dynamoDb().getItem(r -> r.tableName(backend().tableName()).key(Map.of("pk", s(pk))).consistentRead(true)).item();
    }

    private List<Map<String, AttributeValue>> queryDue(int shard, long now) {
        return backend().dynamoDb().query(r -> r.tableName(backend().tableName()).indexName(DUE_INDEX)
                .keyConditionExpression("dueShard = :shard AND dueAt <= :now")
                .expressionAttributeValues(Map.of(":shard", n(shard), ":now", n(now)))).items();
    }

    /** Reads every shard of the table's current stream until {@code expected} records for {@code pk} show up. */
    private List<Record> streamRecords(String pk, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        List<Record> found = List.of();
        while (System.nanoTime() < deadline) {
            String streamArn = backend().dynamoDb().describeTable(r -> r.tableName(backend().tableName())).table().latestStreamArn();
            found = new ArrayList<>();
            for (Shard shard : shards(streamArn)) {
                String iterator = backend().streams().getShardIterator(r -> r.streamArn(streamArn).shardId(shard.shardId())
                        .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
                for (int page = 0; iterator != null && page < 1_000; page++) {
                    String current = iterator;
                    var response = backend().streams().getRecords(r -> r.shardIterator(current));
                    response.records().stream().filter(record -> pk.equals(record.dynamodb().keys().get("pk").s())).forEach(found::add);
                    iterator = response.records().isEmpty() ? null : response.nextShardIterator();
                }
            }
            if (found.size() >= expected) {
                found.sort(Comparator.comparing(record -> new BigInteger(record.dynamodb().sequenceNumber())));
                return found;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("expected " + expected + " stream records for " + pk + ", found " + found.size());
    }

    private List<Shard> shards(String streamArn) {
        List<Shard> shards = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String lastShard = null;
        do {
            String start = lastShard;
            StreamDescription description = backend().streams()
                    .describeStream(r -> r.streamArn(streamArn).exclusiveStartShardId(start)).streamDescription();
            description.shards().stream().filter(shard -> seen.add(shard.shardId())).forEach(shards::add);
            lastShard = description.lastEvaluatedShardId();
        } while (lastShard != null);
        return shards;
    }

    private CompletedPart uploadPart(String key, String uploadId, int number, byte[] bytes) {
        String eTag = backend().s3().uploadPart(r -> r.bucket(backend().bucketName()).key(key).uploadId(uploadId).partNumber(number),
                RequestBody.fromBytes(bytes)).eTag();
        return CompletedPart.builder().partNumber(number).eTag(eTag).build();
    }

    private List<String> openUploads(String key) {
        return backend().s3().listMultipartUploads(r -> r.bucket(backend().bucketName()).prefix(key)).uploads().stream()
                .filter(upload -> upload.key().equals(key)).map(MultipartUpload::uploadId).toList();
    }

    private void putBytes(String key, byte[] body) {
        backend().s3().putObject(r -> r.bucket(backend().bucketName()).key(key), RequestBody.fromBytes(body));
    }

    private URI presign(String key, Duration lifetime) throws Exception {
        PresignedGetObjectRequest presigned = backend().presigner().presignGetObject(r -> r.signatureDuration(lifetime)
                .getObjectRequest(g -> g.bucket(backend().bucketName()).key(key)));
        return presigned.url().toURI();
    }

    private static HttpResponse<byte[]> get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
