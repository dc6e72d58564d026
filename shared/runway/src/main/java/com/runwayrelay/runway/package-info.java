/**
 * Java client for the Runway developer API: {@link com.runwayrelay.runway.RunwayClient} creates
 * generation tasks (request bodies are forwarded as-is), reads and deletes tasks, uploads input
 * files, and reads organization credits and usage.
 *
 * <p>Public surface: the client and its builder, the {@link com.runwayrelay.runway.Task} sealed
 * type (one record per status plus an unknown-status fallback), the value records it returns, the
 * sealed {@link com.runwayrelay.runway.RunwayException} hierarchy (one subtype per way a caller
 * must react) and {@link com.runwayrelay.runway.Sleeper}. Everything else is package-private:
 * the facade sits on a one-attempt transport over the JDK {@code HttpClient}, decorated with the
 * retry policy; tests swap the transport, clock, sleeper and jitter.
 *
 * <p>Depends only on the JDK and Jackson.
 */
package com.runwayrelay.runway;
