package com.runwayrelay.aws.dynamodb;

import com.runwayrelay.domain.InvalidCursorException;
import com.runwayrelay.domain.RunwayStatus;
import com.runwayrelay.domain.TaskListing.OpenTasks;
import com.runwayrelay.domain.TaskPage;
import com.runwayrelay.domain.TaskQuery;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.TaskSummary;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * The operator's reads over many tasks, each a Query on one of two GSIs, never a scan:
 * <ul>
 *   <li>{@value #APP_INDEX} ({@code appId}, {@code createdKey}): one app's tasks newest first;</li>
 *   <li>{@value #LIST_INDEX} ({@code listPart} = {@code open} | {@code ended}, {@code createdKey}): every
 *       app's tasks newest first (the two parts read side by side and merged by {@code createdKey}), and
 *       the unfinished ones oldest first.</li>
 * </ul>
 * Both project the list summary, so a page is read from the index alone. Filters the key cannot
 * express (state, endpoint, model; the app on the list index) are applied to the entries read, as a
 * FilterExpression would be (DynamoDB charges the entries read either way); a page stops after
 * {@value #MAX_READ_PER_PAGE} entries so a rare filter cannot make one request read the whole index.
 *
 * <p>The cursor is the {@code createdKey} of the last entry read plus a fingerprint of the filters,
 * base64url-encoded: a page resumes strictly below it in every part.
 */
final class TaskLists {
    /** One app's tasks by creation. */
    static final String APP_INDEX = "app-index";
    /** Every task by creation, split into unfinished and ended. */
    static final String LIST_INDEX = "list-index";
    /** The most index entries one page reads. */
    static final int MAX_READ_PER_PAGE = 1_000;

    private static final int FILTERED_CHUNK = 100;
    private static final String CURSOR_VERSION = "c1";
    private static final Pattern CREATED_KEY =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{9}Z#[^|]+");
    /** Below every createdKey (they start with a digit). */
    private static final String LOWEST = " ";
    /** Above every createdKey. */
    private static final String HIGHEST = "~";

    private final DynamoDbClient dynamo;
    private final String table;

    TaskLists(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    TaskPage list(TaskQuery query) {
        String fingerprint = fingerprint(query);
        String after = query.cursor() == null ? null : decode(query.cursor(), fingerprint);
        String lo = query.createdAfter() == null ? LOWEST : TaskItems.createdBound(query.createdAfter());
        String hi = query.createdBefore() == null ? HIGHEST : TaskItems.createdBound(query.createdBefore());
        if (after != null && after.compareTo(hi) < 0) {
            hi = after;
        }
        if (hi.compareTo(lo) <= 0) {
            // A cursor at or below the range's start: nothing is left (and BETWEEN would refuse the bounds).
            return new TaskPage(List.of(), null);
        }
        boolean filtered = query.state() != null || query.endpoint() != null || query.model() != null;
        // Unfiltered, one more than the page tells whether another page follows; after a cursor the
        // cursor's own entry (BETWEEN includes it) comes back first, and is skipped.
        int chunk = filtered ? FILTERED_CHUNK : query.limit() + (after != null ? 2 : 1);
        List<Part> parts = new ArrayList<>();
        if (query.appId() != null) {
            parts.add(new Part(APP_INDEX, "appId", query.appId(), lo, hi, chunk));
        } else {
            if (query.state() == null || !query.state().isTerminal()) {
                parts.add(new Part(LIST_INDEX, TaskItems.LIST_PART, TaskItems.OPEN, lo, hi, chunk));
            }
            if (query.state() == null || query.state().isTerminal()) {
                parts.add(new Part(LIST_INDEX, TaskItems.LIST_PART, TaskItems.ENDED, lo, hi, chunk));
            }
        }
        List<TaskSummary> page = new ArrayList<>();
        String last = null;
        int read = 0;
        while (page.size() < query.limit() && read < MAX_READ_PER_PAGE) {
            Part newest = null;
            for (Part part : parts) {
                Map<String, AttributeValue> head = part.peek();
                if (head != null && (newest == null || createdKey(head).compareTo(createdKey(newest.peek())) > 0)) {
                    newest = part;
                }
            }
            if (newest == null) {
                return new TaskPage(page, null);
            }
            Map<String, AttributeValue> item = newest.next();
            read++;
            last = createdKey(item);
            TaskSummary summary = summary(item);
            if (query.matches(summary)) {
                page.add(summary);
            }
        }
        boolean more = parts.stream().anyMatch(part -> part.peek() != null);
        return new TaskPage(page, more ? encode(fingerprint, last) : null);
    }

    OpenTasks openTasks(Instant createdBefore, int oldest) {
        if (oldest < 0 || oldest > 100) {
            throw new IllegalArgumentException("oldest must be 0..100");
        }
        String hi = TaskItems.createdBound(createdBefore);
        long count = 0;
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse response = dynamo.query(openBefore(hi).select(Select.COUNT).exclusiveStartKey(start).build());
            count += response.count();
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                    ? response.lastEvaluatedKey() : null;
        } while (start != null);
        List<TaskSummary> shown = oldest == 0 || count == 0 ? List.of()
                : dynamo.query(openBefore(hi).scanIndexForward(true).limit(oldest).build())
                        .items().stream().map(TaskLists::summary).toList();
        return new OpenTasks(count, shown);
    }

    private QueryRequest.Builder openBefore(String hi) {
        return QueryRequest.builder().tableName(table).indexName(LIST_INDEX)
                .keyConditionExpression("#p = :p AND #c < :hi")
                .expressionAttributeNames(Map.of("#p", TaskItems.LIST_PART, "#c", TaskItems.CREATED_KEY))
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(TaskItems.OPEN),
                        ":hi", AttributeValue.fromS(hi)));
    }

    /** One index partition read newest first in chunks, from {@code hi} (exclusive) down to {@code lo}. */
    private final class Part {
        private final String index;
        private final String keyName;
        private final String keyValue;
        private final String lo;
        private final String hi;
        private final int chunk;
        private final Deque<Map<String, AttributeValue>> buffer = new ArrayDeque<>();
        private Map<String, AttributeValue> resume;
        private boolean exhausted;

        Part(String index, String keyName, String keyValue, String lo, String hi, int chunk) {
            this.index = index;
            this.keyName = keyName;
            this.keyValue = keyValue;
            this.lo = lo;
            this.hi = hi;
            this.chunk = chunk;
        }

        Map<String, AttributeValue> peek() {
            while (buffer.isEmpty() && !exhausted) {
                fetch();
            }
            return buffer.peekFirst();
        }

        Map<String, AttributeValue> next() {
            Map<String, AttributeValue> head = peek();
            buffer.removeFirst();
            return head;
        }

        private void fetch() {
            QueryResponse response = dynamo.query(QueryRequest.builder().tableName(table).indexName(index)
                    .keyConditionExpression("#k = :k AND #c BETWEEN :lo AND :hi")
                    .expressionAttributeNames(Map.of("#k", keyName, "#c", TaskItems.CREATED_KEY))
                    .expressionAttributeValues(Map.of(":k", AttributeValue.fromS(keyValue),
                            ":lo", AttributeValue.fromS(lo), ":hi", AttributeValue.fromS(hi)))
                    .scanIndexForward(false)
                    .limit(chunk)
                    .exclusiveStartKey(resume)
                    .build());
            for (Map<String, AttributeValue> item : response.items()) {
                // BETWEEN includes its upper end: the cursor's own entry was on the previous page.
                if (createdKey(item).compareTo(hi) < 0) {
                    buffer.addLast(item);
                }
            }
            resume = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                    ? response.lastEvaluatedKey() : null;
            exhausted = resume == null;
        }
    }

    private static String createdKey(Map<String, AttributeValue> item) {
        return item.get(TaskItems.CREATED_KEY).s();
    }

    static TaskSummary summary(Map<String, AttributeValue> item) {
        return new TaskSummary(s(item, "id"), s(item, "appId"), s(item, "endpoint"), s(item, "model"),
                TaskState.valueOf(s(item, TaskItems.STATE)), RunwayStatus.fromWire(s(item, "runwayStatus")), Instant.parse(s(item, "createdAt")),
                null, n(item, "estimatedCredits") == null ? 0 : n(item, "estimatedCredits"), n(item, "actualCredits"),
                s(item, "failureCode"), s(item, "stateReason"));
    }

    private static String s(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    private static Long n(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : Long.valueOf(v.n());
    }

    /** Stable across processes (String#hashCode is specified), so any instance accepts any instance's cursor. */
    private static String fingerprint(TaskQuery q) {
        String canonical = String.join("|", String.valueOf(q.appId()), q.state() == null ? "null" : q.state().name(),
                String.valueOf(q.endpoint()), String.valueOf(q.model()), String.valueOf(q.createdAfter()),
                String.valueOf(q.createdBefore()));
        return Integer.toHexString(canonical.hashCode());
    }

    private static String encode(String fingerprint, String createdKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                (CURSOR_VERSION + "|" + fingerprint + "|" + createdKey).getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String cursor, String fingerprint) {
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidCursorException("the cursor is not one this gateway issued");
        }
        String[] parts = text.split("\\|", 3);
        if (parts.length != 3 || !parts[0].equals(CURSOR_VERSION) || !CREATED_KEY.matcher(parts[2]).matches()) {
            throw new InvalidCursorException("the cursor is not one this gateway issued");
        }
        if (!parts[1].equals(fingerprint)) {
            throw new InvalidCursorException("the cursor belongs to a list with other filters");
        }
        return parts[2];
    }
}
