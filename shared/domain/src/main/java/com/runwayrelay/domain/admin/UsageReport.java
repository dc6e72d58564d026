package com.runwayrelay.domain.admin;

import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.app.AppRepository;
import com.runwayrelay.domain.gateway.UsageLedger;
import com.runwayrelay.domain.gateway.UsageLedger.DailyUsage;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Credits and task counts per app, per model and per UTC day over a range of at most
 * {@value #MAX_DAYS} days, read from the usage ledger's day items (one per app and day; no task is
 * read). Credits are the ledger's: estimates for unfinished tasks, actual costs for settled ones, and
 * possible orphans (ambiguous creates) included and counted apart.
 *
 * <p>Without an app, every app the app list holds is reported; usage of a deleted app is reported only
 * when asked for by its id.
 */
public final class UsageReport {
    /** The longest range one report covers, in days. */
    public static final int MAX_DAYS = 92;

    private final UsageLedger ledger;
    private final AppRepository apps;

    public UsageReport(UsageLedger ledger, AppRepository apps) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.apps = Objects.requireNonNull(apps, "apps");
    }

    /**
     * The report for {@code from}..{@code to} (both included).
     *
     * @param appId only this app, or null for every app
     * @return {@link Outcome.Report}, or {@link Outcome.InvalidRange} (from after to, or more than
     *         {@value #MAX_DAYS} days) having read nothing
     */
    public Outcome report(LocalDate from, LocalDate to, String appId) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.isAfter(to)) {
            return new Outcome.InvalidRange("from (" + from + ") is after to (" + to + ")");
        }
        long days = ChronoUnit.DAYS.between(from, to) + 1;
        if (days > MAX_DAYS) {
            return new Outcome.InvalidRange("the range covers " + days + " days; at most " + MAX_DAYS + " are allowed");
        }
        List<String> appIds = appId != null ? List.of(appId)
                : apps.list().stream().map(App::id).sorted().toList();
        List<AppDay> rows = new ArrayList<>();
        for (String id : appIds) {
            for (DailyUsage day : ledger.usage(id, from, to)) {
                if (day.tasks() > 0 || day.usedCredits() != 0 || day.possibleOrphans() > 0) {
                    rows.add(AppDay.of(id, day));
                }
            }
        }
        rows.sort(Comparator.comparing(AppDay::day).thenComparing(AppDay::appId));
        return new Outcome.Report(from, to, rows, Totals.of(rows));
    }

    /** What a usage request gave. */
    public sealed interface Outcome {
        /**
         * The report.
         *
         * @param days   one row per app and day that had tasks or credits, by day then app
         * @param totals the rows summed
         */
        record Report(LocalDate from, LocalDate to, List<AppDay> days, Totals totals) implements Outcome {
            public Report {
                days = List.copyOf(days);
            }
        }

        /** The range is empty, reversed or too long; nothing was read. */
        record InvalidRange(String message) implements Outcome {
        }
    }

    /**
     * Credits and tasks.
     *
     * @param credits credits (see the class comment)
     * @param tasks   tasks admitted
     */
    public record Counts(long credits, long tasks) {
        Counts plus(Counts other) {
            return new Counts(credits + other.credits, tasks + other.tasks);
        }
    }

    /**
     * One app's usage of one day.
     *
     * @param possibleOrphans       creates that may have made a billed Runway task nobody can see
     * @param possibleOrphanCredits their estimate, included in {@code credits}
     * @param models                per model; a day recorded before per-model credits existed shows its
     *                              models with 0 credits
     */
    public record AppDay(LocalDate day, String appId, long credits, long tasks, long possibleOrphans,
                         long possibleOrphanCredits, Map<String, Counts> models) {
        public AppDay {
            models = Map.copyOf(models);
        }

        static AppDay of(String appId, DailyUsage d) {
            Map<String, Counts> models = new TreeMap<>();
            for (String model : union(d.tasksByModel().keySet(), d.creditsByModel().keySet())) {
                models.put(model, new Counts(d.creditsByModel().getOrDefault(model, 0L),
                        d.tasksByModel().getOrDefault(model, 0L)));
            }
            return new AppDay(d.day(), appId, d.usedCredits(), d.tasks(), d.possibleOrphans(),
                    d.possibleOrphanCredits(), models);
        }

        private static TreeSet<String> union(Set<String> a, Set<String> b) {
            TreeSet<String> all = new TreeSet<>(a);
            all.addAll(b);
            return all;
        }
    }

    /**
     * The rows summed.
     *
     * @param apps   per app
     * @param models per model, over every app
     */
    public record Totals(long credits, long tasks, long possibleOrphans, Map<String, Counts> apps,
                         Map<String, Counts> models) {
        public Totals {
            apps = Map.copyOf(apps);
            models = Map.copyOf(models);
        }

        static Totals of(List<AppDay> rows) {
            long credits = 0;
            long tasks = 0;
            long orphans = 0;
            Map<String, Counts> apps = new TreeMap<>();
            Map<String, Counts> models = new TreeMap<>();
            for (AppDay row : rows) {
                credits += row.credits();
                tasks += row.tasks();
                orphans += row.possibleOrphans();
                apps.merge(row.appId(), new Counts(row.credits(), row.tasks()), Counts::plus);
                row.models().forEach((model, counts) -> models.merge(model, counts, Counts::plus));
            }
            return new Totals(credits, tasks, orphans, apps, models);
        }
    }
}
