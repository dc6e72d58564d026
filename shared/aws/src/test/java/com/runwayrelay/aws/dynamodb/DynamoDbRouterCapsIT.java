package com.runwayrelay.aws.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.runwayrelay.domain.router.RouterCap;
import com.runwayrelay.testkit.aws.AwsEmulators;
import com.runwayrelay.testkit.aws.WithAwsEmulators;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link DynamoDbRouterCaps} against DynamoDB Local: one record per slug, replaced and removed. */
@WithAwsEmulators
class DynamoDbRouterCapsIT {
    private final AwsEmulators aws;
    private DynamoDbRouterCaps caps;

    DynamoDbRouterCapsIT(AwsEmulators aws) {
        this.aws = aws;
    }

    @BeforeEach
    void start() {
        aws.resetData();
        caps = new DynamoDbRouterCaps(aws.dynamoDb(), aws.tableName());
    }

    @Test
    void storesReplacesAndRemovesTheRecordOfASlug() {
        Instant at = Instant.parse("2026-12-03T10:00:00Z");
        caps.put(new RouterCap("cheap-video", "r-1", Map.of("video", 40L, "image", 8L), at));
        RouterCap read = caps.find("cheap-video").orElseThrow();
        assertEquals(new RouterCap("cheap-video", "r-1", Map.of("video", 40L, "image", 8L), at), read);
        assertEquals(OptionalLong.of(40), read.cap("video"));
        assertEquals(OptionalLong.empty(), read.cap("audio"));

        caps.put(new RouterCap("cheap-video", "r-1", Map.of(), at.plusSeconds(60)));
        assertEquals(Map.of(), caps.find("cheap-video").orElseThrow().maxCredits());

        caps.remove("cheap-video");
        assertEquals(Optional.empty(), caps.find("cheap-video"));
        caps.remove("cheap-video");
        assertEquals(Optional.empty(), caps.find("other"));
    }
}
