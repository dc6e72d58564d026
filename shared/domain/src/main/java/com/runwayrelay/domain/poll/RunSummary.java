package com.runwayrelay.domain.poll;

import java.time.Duration;

/**
 * What one run did.
 *
 * @param runId          the lease owner name the run used
 * @param claimed        tasks leased
 * @param advanced       leased tasks whose next version was written after Runway answered (or without asking it)
 * @param unchanged      of those, reads that found nothing new: the claim stood as the next version, nothing
 *                       more was written
 * @param transitions    writes that changed a task's state
 * @param failed         leased tasks rescheduled with backoff because Runway could not be asked, or left to
 *                       their lease after an unexpected error
 * @param skipped        due entries not worked on: leased by another run, changed meanwhile, not due after all,
 *                       or possibly still being created by the submit function
 * @param released       leases handed back unfinished because the run ran out of time
 * @param woken          finished tasks whose webhook retry was due: the notifier was woken
 * @param cleared        entries taken out of the due index without a Runway call (finished or archiving tasks)
 * @param runwayRequests reads, creates and cancels sent to Runway
 * @param peakInFlight   most tasks worked on at the same moment
 * @param duration       wall time of the run
 */
public record RunSummary(String runId, long claimed, long advanced, long unchanged, long transitions, long failed, long skipped,
                         long released, long woken, long cleared, long runwayRequests, int peakInFlight,
                         Duration duration) {
}
