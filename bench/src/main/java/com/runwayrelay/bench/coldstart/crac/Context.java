package com.runwayrelay.bench.coldstart.crac;

/** Resources notified together; itself a resource, as in {@code org.crac}. */
public abstract class Context<R extends Resource> implements Resource {
    protected Context() {
    }

    /** Adds {@code resource}; held weakly, as a CRaC JVM holds it. */
    public abstract void register(R resource);
}
