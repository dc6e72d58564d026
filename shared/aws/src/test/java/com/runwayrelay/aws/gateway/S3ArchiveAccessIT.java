package com.runwayrelay.aws.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.runwayrelay.aws.s3.LinkSigner;
import com.runwayrelay.domain.gateway.ArchiveAccess.Link;
import com.runwayrelay.testkit.aws.AwsEmulators;
import com.runwayrelay.testkit.aws.WithAwsEmulators;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

@WithAwsEmulators
class S3ArchiveAccessIT {
    private final AwsEmulators aws;

    S3ArchiveAccessIT(AwsEmulators aws) {
        this.aws = aws;
    }

    @Test
    void linksDownloadTheObject_andDeleteRemovesItAndIgnoresMissingKeys() throws Exception {
        String key = "outputs/app/t-archive/0.png";
        aws.s3().putObject(b -> b.bucket(aws.bucketName()).key(key), RequestBody.fromString("png bytes"));
        S3ArchiveAccess archive = new S3ArchiveAccess(new LinkSigner(aws.s3Presigner(), aws.credentials(),
                aws.bucketName(), Duration.ofMinutes(5), Clock.systemUTC()), aws.s3(), aws.bucketName());

        Link link = archive.link(key);
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(link.url()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertEquals("png bytes", response.body());
        }

        archive.delete(List.of(key, "outputs/app/t-archive/missing.png"));
        assertThrows(NoSuchKeyException.class, () -> aws.s3().getObject(b -> b.bucket(aws.bucketName()).key(key)));
    }
}
