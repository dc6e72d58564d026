package com.runwayrelay.domain.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.gateway.UsageLedger;
import com.runwayrelay.domain.gateway.UsageLedger.ActiveSlot;
import com.runwayrelay.domain.gateway.UsageLedger.Admission;
import com.runwayrelay.domain.gateway.UsageLedger.DailyUsage;
import com.runwayrelay.domain.gateway.UsageLedger.OrphanReservation;
import com.runwayrelay.domain.gateway.UsageLedger.Reservation;
import com.runwayrelay.domain.gateway.UsageLedger.Settlement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link UsageLedger} promises: admission reserves credits within the daily budget and
 * takes an active slot, or refuses with the numbers and reserves nothing; repeats of an admission,
 * a settlement or a possible orphan's reservation change nothing; settling moves to the actual cost
 * and frees the slot; usage is counted per UTC day and per model.
 *
 * @param <L> the implementation under test
 */
public abstract class UsageLedgerContract<L extends UsageLedger> {
    /** A minute before midnight UTC: the next day's usage must stay apart. */
    protected static final Instant T0 = Instant.parse("2026-11-21T23:59:00Z");
    protected static final LocalDate DAY = LocalDate.parse("2026-11-21");
    /** Each case its own app, so a ledger shared between cases needs no reset. */
    protected final String appId = "app_" + UUID.randomUUID();
    protected L ledger;

    /** The ledger under test; called before every case. */
    protected abstract L openLedger();

    @BeforeEach
    final void open() {
        ledger = openLedger();
    }

    protected final Reservation reservation(String taskId, String model, long credits, long budget, int maxActive) {
        return new Reservation(appId, taskId, model, T0, credits, budget, maxActive);
    }

    @Test
    void admissionReservesCreditsCountsPerDayAndModel_andTakesASlot() {
        assertEquals(new Admission.Admitted(), ledger.admit(reservation("t1", "gen4.5", 30, 100, 5)));
        assertEquals(new Admission.Admitted(), ledger.admit(reservation("t2", "gen4_image", 20, 100, 5)));
        assertEquals(new Admission.Admitted(), ledger.admit(reservation("t3", "gen4_image", 50, 100, 5)));
        assertEquals(new DailyUsage(DAY, 100, 3, Map.of("gen4.5", 1L, "gen4_image", 2L), 0, 0,
                Map.of("gen4.5", 30L, "gen4_image", 70L)), ledger.usage(appId, DAY));
        assertEquals(3, ledger.activeSlots(appId).size());
        assertEquals(0, ledger.usage(appId, DAY.plusDays(1)).usedCredits());
    }

    @Test
    void overBudgetReportsTheNumbers_andReservesNothing() {
        ledger.admit(reservation("t1", "gen4.5", 80, 100, 5));
        Admission over = ledger.admit(reservation("t2", "gen4.5", 21, 100, 5));
        assertEquals(new Admission.OverBudget(80, 100, 21), over);
        assertEquals(20, ((Admission.OverBudget) over).remainingCredits());
        assertEquals(new Admission.OverBudget(80, 100, 500), ledger.admit(reservation("t3", "gen4.5", 500, 100, 5)));
        assertEquals(80, ledger.usage(appId, DAY).usedCredits());
        assertEquals(1, ledger.activeSlots(appId).size());
    }

    @Test
    void fullSlotsRefuse_andReserveNoCredits() {
        ledger.admit(reservation("t1", "gen4.5", 1, 100, 2));
        ledger.admit(reservation("t2", "gen4.5", 1, 100, 2));
        assertEquals(new Admission.TooManyActive(2, 2), ledger.admit(reservation("t3", "gen4.5", 1, 100, 2)));
        assertEquals(2, ledger.usage(appId, DAY).usedCredits());
    }

    @Test
    void settlementAdjustsOnce_andFreesTheSlot() {
        ledger.admit(reservation("t1", "gen4.5", 40, 100, 1));
        Settlement settlement = new Settlement(appId, "t1", T0, 40, 15);
        ledger.settle(settlement);
        ledger.settle(settlement);
        assertEquals(15, ledger.usage(appId, DAY).usedCredits());
        assertTrue(ledger.activeSlots(appId).isEmpty());
        assertEquals(new Admission.Admitted(), ledger.admit(reservation("t2", "gen4.5", 85, 100, 1)));
    }

    @Test
    void freeSlotLeavesCreditsAndToleratesAnAppWithoutSlots() {
        ledger.admit(reservation("t1", "gen4.5", 40, 100, 1));
        ledger.freeSlot(appId, new ActiveSlot("t1", T0));
        ledger.freeSlot("app_none_" + UUID.randomUUID(), new ActiveSlot("t1", T0));
        assertEquals(List.of(), ledger.activeSlots(appId));
        assertEquals(40, ledger.usage(appId, DAY).usedCredits());
    }

    @Test
    void concurrentAdmissionsNeverExceedTheBudget() throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Admission>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(10)) {
            for (int i = 0; i < 10; i++) {
                String taskId = "c" + i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return ledger.admit(reservation(taskId, "gen4.5", 25, 100, 50));
                }));
            }
            start.countDown();
            int admitted = 0;
            for (Future<Admission> f : futures) {
                admitted += f.get() instanceof Admission.Admitted ? 1 : 0;
            }
            assertEquals(4, admitted);
            assertEquals(100, ledger.usage(appId, DAY).usedCredits());
        }
    }

    @Test
    void repeatedAdmissionOfTheSameTaskAndInstantAddsNothing_evenWhenTheBudgetOrSlotsAreFull() {
        assertEquals(new Admission.Admitted(), ledger.admit(reservation("t1", "gen4.5", 60, 100, 1)));

        assertEquals(new Admission.Admitted(), ledger.admit(reservation("t1", "gen4.5", 60, 100, 1)));
        assertEquals(new Admission.Admitted(), ledger.admit(reservation("t1", "gen4.5", 60, 100, 5)));

        assertEquals(new DailyUsage(DAY, 60, 1, Map.of("gen4.5", 1L), 0, 0, Map.of("gen4.5", 60L)), ledger.usage(appId, DAY));
        assertEquals(1, ledger.activeSlots(appId).size());

        Instant precise = T0.plusNanos(123_456_789);
        Reservation sub = new Reservation(appId, "t2", "gen4.5", precise, 10, 100, 2);
        assertEquals(new Admission.Admitted(), ledger.admit(sub));
        assertEquals(new Admission.Admitted(), ledger.admit(sub), "an instant finer than the stored millisecond");
        assertEquals(70, ledger.usage(appId, DAY).usedCredits());

        Reservation filling = reservation("t3", "gen4.5", 30, 100, 3);
        assertEquals(new Admission.Admitted(), ledger.admit(filling));
        assertEquals(new Admission.Admitted(), ledger.admit(filling), "the budget is spent and every slot taken");
        assertEquals(100, ledger.usage(appId, DAY).usedCredits());
        assertEquals(3, ledger.usage(appId, DAY).tasks());
        assertEquals(3, ledger.activeSlots(appId).size());
    }

    @Test
    void orphanReservationCountsOnce_withinTheBudget() {
        ledger.admit(reservation("t1", "gen4.5", 40, 100, 5));
        OrphanReservation orphan = new OrphanReservation(appId, "t1", 1, T0, 40, 100L);

        assertEquals(new Admission.Admitted(), ledger.reserveOrphan(orphan));
        assertEquals(new Admission.Admitted(), ledger.reserveOrphan(orphan), "a repeat changes nothing");

        assertEquals(new DailyUsage(DAY, 80, 1, Map.of("gen4.5", 1L), 1, 40, Map.of("gen4.5", 40L)), ledger.usage(appId, DAY));
        assertEquals(new Admission.OverBudget(80, 100, 21), ledger.admit(reservation("t2", "gen4.5", 21, 100, 5)),
                "the orphan's credits count against the budget");
    }

    @Test
    void orphanReservationIsRefusedOverBudget_unlessUnconditional() {
        String task = "t-" + UUID.randomUUID();
        ledger.admit(reservation(task, "gen4.5", 70, 100, 5));

        assertEquals(new Admission.OverBudget(70, 100, 40),
                ledger.reserveOrphan(new OrphanReservation(appId, task, 1, T0, 40, 100L)));
        assertEquals(new DailyUsage(DAY, 70, 1, Map.of("gen4.5", 1L), 0, 0, Map.of("gen4.5", 70L)), ledger.usage(appId, DAY));

        assertEquals(new Admission.Admitted(), ledger.reserveOrphan(new OrphanReservation(appId, task, 1, T0, 70, null)));
        ledger.settle(new Settlement(appId, task, T0, 70, 0));
        assertEquals(new DailyUsage(DAY, 70, 1, Map.of("gen4.5", 1L), 1, 70, Map.of("gen4.5", 70L)), ledger.usage(appId, DAY),
                "the task's reservation became the possible orphan's");
    }

    @Test
    void possibleOrphanCountsOncePerAttempt_withinTheBudget_orUnconditionally() {
        ledger.admit(reservation("t1", "gen4_image", 40, 100, 2));
        OrphanReservation orphan = new OrphanReservation(appId, "t1", 1, T0, 40, 100L);

        assertEquals(new Admission.Admitted(), ledger.reserveOrphan(orphan));
        assertEquals(new Admission.Admitted(), ledger.reserveOrphan(orphan));
        assertEquals(new Admission.OverBudget(80, 100, 40),
                ledger.reserveOrphan(new OrphanReservation(appId, "t1", 2, T0, 40, 100L)));
        assertEquals(new Admission.Admitted(),
                ledger.reserveOrphan(new OrphanReservation(appId, "t1", 2, T0, 40, null)));

        DailyUsage day = ledger.usage(appId, DAY);
        assertEquals(120, day.usedCredits());
        assertEquals(2, day.possibleOrphans());
        assertEquals(80, day.possibleOrphanCredits());
        assertEquals(new Admission.OverBudget(120, 100, 1), ledger.admit(reservation("t3", "gen4_image", 1, 100, 2)));
    }

    @Test
    void unusedDayReadsAsZero() {
        assertEquals(new DailyUsage(DAY.minusDays(1), 0, 0, Map.of()), ledger.usage(appId, DAY.minusDays(1)));
    }

    @Test
    void countsCreditsPerModel_throughAdmissionSettlementAndPossibleOrphans() {
        // Settlement markers are per task id and a real ledger's table is shared by the cases: fresh ids.
        String t1 = "t-" + UUID.randomUUID();
        String t2 = "t-" + UUID.randomUUID();
        ledger.admit(reservation(t1, "gen4.5", 30, 1000, 5));
        ledger.admit(reservation(t2, "gen4_image", 20, 1000, 5));
        ledger.settle(new Settlement(appId, t1, T0, 30, 25, "gen4.5"));
        ledger.reserveOrphan(new OrphanReservation(appId, t2, 1, T0, 20, null, "gen4_image"));
        ledger.settle(new Settlement(appId, t2, T0, 20, 0, "gen4_image"));

        DailyUsage usage = ledger.usage(appId, DAY);

        assertEquals(45, usage.usedCredits());
        assertEquals(Map.of("gen4.5", 25L, "gen4_image", 20L), usage.creditsByModel());
        assertEquals(usage.usedCredits(), usage.creditsByModel().values().stream().mapToLong(Long::longValue).sum());
        assertEquals(1, usage.possibleOrphans());
    }

    @Test
    void readsARangeOfDays_withZerosForDaysWithoutUsage() {
        LocalDate from = DAY.minusDays(149);
        ledger.admit(new Reservation(appId, "first", "gen4.5", from.atStartOfDay(ZoneOffset.UTC).toInstant(),
                7, 1000, 5));
        ledger.admit(reservation("last", "gen4.5", 9, 1000, 5));

        List<DailyUsage> days = ledger.usage(appId, from, DAY);

        assertEquals(150, days.size(), "more days than one DynamoDB BatchGetItem holds");
        assertEquals(from, days.getFirst().day());
        assertEquals(7, days.getFirst().usedCredits());
        assertEquals(ledger.usage(appId, DAY), days.getLast());
        assertEquals(16, days.stream().mapToLong(DailyUsage::usedCredits).sum());
        assertEquals(148, days.stream().filter(d -> d.tasks() == 0 && d.usedCredits() == 0).count());
    }
}
