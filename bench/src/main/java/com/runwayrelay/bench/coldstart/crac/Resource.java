package com.runwayrelay.bench.coldstart.crac;

/** A hook notified around a checkpoint (the shape {@code org.crac} adapts its own {@code Resource} to). */
public interface Resource {
    void beforeCheckpoint(Context<? extends Resource> context) throws Exception;

    void afterRestore(Context<? extends Resource> context) throws Exception;
}
