/**
 * Contract tests of the ports: one abstract class per port states what every implementation
 * promises, and each implementation runs it, the in-memory fake here (next to it, in the
 * {@code memory} packages) and the real adapter in {@code shared/aws} as an IT against DynamoDB
 * Local or s3proxy. A fake that passes its port's contract behaves, where a test can see it, like
 * the adapter it stands in for. Shipped in relay-domain's test-jar.
 */
package com.runwayrelay.domain.contract;
