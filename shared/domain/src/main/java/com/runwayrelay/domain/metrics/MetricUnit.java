package com.runwayrelay.domain.metrics;

/** The units the gateway's metrics use, each with CloudWatch's name for it. */
public enum MetricUnit {
    COUNT("Count"),
    MILLISECONDS("Milliseconds"),
    SECONDS("Seconds"),
    BYTES("Bytes"),
    /** CloudWatch's unit label; the gateway's values are MiB (2^20 bytes) per second. */
    MEGABYTES_PER_SECOND("Megabytes/Second");

    private final String cloudWatchName;

    MetricUnit(String cloudWatchName) {
        this.cloudWatchName = cloudWatchName;
    }

    /** The unit as CloudWatch spells it ({@code Count}, {@code Megabytes/Second}, …). */
    public String cloudWatchName() {
        return cloudWatchName;
    }
}
