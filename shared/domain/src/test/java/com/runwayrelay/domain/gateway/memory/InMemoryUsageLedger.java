package com.runwayrelay.domain.gateway.memory;

import com.runwayrelay.domain.gateway.UsageLedger;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link UsageLedger} in maps: admission and settlement are atomic; admission (per slot), settlement and
 * orphan reservations (per task and attempt) are idempotent. Thread-safe.
 */
public final class InMemoryUsageLedger implements UsageLedger {
    private final Map<String, DailyUsage> usage = new HashMap<>();
    private final Map<String, Set<ActiveSlot>> slots = new HashMap<>();
    private final Set<String> settled = new HashSet<>();
    private final Set<String> orphans = new HashSet<>();

    @Override
    public synchronized Admission admit(Reservation r) {
        DailyUsage day = usage(r.appId(), r.day());
        Set<ActiveSlot> active = slots.computeIfAbsent(r.appId(), k -> new LinkedHashSet<>());
        if (active.contains(r.slot())) {
            return new Admission.Admitted();
        }
        if (day.usedCredits() + r.credits() > r.dailyBudget()) {
            return new Admission.OverBudget(day.usedCredits(), r.dailyBudget(), r.credits());
        }
        if (active.size() >= r.maxActiveTasks()) {
            return new Admission.TooManyActive(active.size(), r.maxActiveTasks());
        }
        Map<String, Long> byModel = new HashMap<>(day.tasksByModel());
        if (r.model() != null) {
            byModel.merge(r.model(), 1L, Long::sum);
        }
        usage.put(key(r.appId(), r.day()), new DailyUsage(r.day(), day.usedCredits() + r.credits(), day.tasks() + 1,
                byModel, day.possibleOrphans(), day.possibleOrphanCredits(),
                addCredits(day.creditsByModel(), r.model(), r.credits())));
        active.add(r.slot());
        return new Admission.Admitted();
    }

    @Override
    public synchronized void settle(Settlement s) {
        if (settled.add(s.taskId())) {
            DailyUsage day = usage(s.appId(), s.day());
            usage.put(key(s.appId(), s.day()), new DailyUsage(s.day(),
                    day.usedCredits() + s.actualCredits() - s.reservedCredits(), day.tasks(), day.tasksByModel(),
                    day.possibleOrphans(), day.possibleOrphanCredits(),
                    addCredits(day.creditsByModel(), s.model(), s.actualCredits() - s.reservedCredits())));
        }
        freeSlot(s.appId(), s.slot());
    }

    @Override
    public synchronized Admission reserveOrphan(OrphanReservation r) {
        if (orphans.contains(r.taskId() + "#" + r.attempt())) {
            return new Admission.Admitted();
        }
        DailyUsage day = usage(r.appId(), r.day());
        if (r.dailyBudget() != null && day.usedCredits() + r.credits() > r.dailyBudget()) {
            return new Admission.OverBudget(day.usedCredits(), r.dailyBudget(), r.credits());
        }
        orphans.add(r.taskId() + "#" + r.attempt());
        usage.put(key(r.appId(), r.day()), new DailyUsage(r.day(), day.usedCredits() + r.credits(), day.tasks(),
                day.tasksByModel(), day.possibleOrphans() + 1, day.possibleOrphanCredits() + r.credits(),
                addCredits(day.creditsByModel(), r.model(), r.credits())));
        return new Admission.Admitted();
    }

    @Override
    public synchronized void freeSlot(String appId, ActiveSlot slot) {
        Set<ActiveSlot> active = slots.get(appId);
        if (active != null) {
            active.remove(slot);
        }
    }

    @Override
    public synchronized List<ActiveSlot> activeSlots(String appId) {
        return slots.getOrDefault(appId, Set.of()).stream()
                .sorted(Comparator.comparing(ActiveSlot::admittedAt)).toList();
    }

    @Override
    public synchronized DailyUsage usage(String appId, LocalDate day) {
        return usage.getOrDefault(key(appId, day), new DailyUsage(day, 0, 0, Map.of()));
    }

    private static Map<String, Long> addCredits(Map<String, Long> byModel, String model, long credits) {
        if (model == null) {
            return byModel;
        }
        Map<String, Long> more = new HashMap<>(byModel);
        more.merge(model, credits, Long::sum);
        return more;
    }

    private static String key(String appId, LocalDate day) {
        return appId + "#" + day;
    }
}
