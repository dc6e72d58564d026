package com.runwayrelay.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.runwayrelay.aws.log.JsonLog;
import com.runwayrelay.catalog.Catalog;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskAlreadyExistsException;
import com.runwayrelay.domain.TaskRepository;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.gateway.AdmissionControl;
import com.runwayrelay.domain.gateway.Idempotency;
import com.runwayrelay.domain.gateway.Idempotency.Decision;
import com.runwayrelay.domain.gateway.IdempotencyStore.StoredResponse;
import com.runwayrelay.domain.gateway.UsageLedger;
import com.runwayrelay.domain.gateway.UsageLedger.Admission;
import com.runwayrelay.domain.gateway.UsageLedger.Reservation;
import com.runwayrelay.domain.gateway.UsageLedger.Settlement;
import com.runwayrelay.domain.metrics.Metrics;
import com.runwayrelay.domain.metrics.RelayMetric;
import com.runwayrelay.domain.runway.RunwayGateway;
import com.runwayrelay.domain.runway.RunwayGateway.CreateOutcome;
import com.runwayrelay.domain.runway.TaskCreation;
import com.runwayrelay.domain.runway.WorkflowRuns;
import com.runwayrelay.submit.SubmitOutcome.Accepted;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Submits one task: check, idempotency, admission (budget and active slots), record ACCEPTED,
 * create at Runway, record the outcome, and say what became of it as a {@link SubmitOutcome},
 * which {@link SubmitApi} turns into Runway's answer with our task id.
 *
 * <p>Once the task is recorded the outcome is {@link Accepted} with its id: what happened next —
 * created, left for the poller after a clear failure, or ambiguous — is visible through the status
 * endpoint. The exceptions are a create Runway rejected ({@link SubmitOutcome.RunwayRejected}; the
 * reservation is released) and a request too large to keep for a later try that met an
 * unavailable Runway ({@link SubmitOutcome.RunwayUnavailable}; released).
 *
 * <p><b>Replays.</b> The lasting outcome of a request with an {@code Idempotency-Key} is stored in
 * the form the app received it, as {@code replayForm} (the edge's own rendering) makes it, so a
 * repeat gets back those very bytes ({@link SubmitOutcome.Replayed}) even from a later version.
 *
 * <p><b>After a crash.</b> The first write of a task already carries its create's IN_FLIGHT
 * attempt, so every create sent is on a task record reachable through the key. A retry that
 * takes over a lapsed claim ({@link Decision.TakeOver}) continues with the same task id: with no
 * task recorded it submits as usual (a repeated admission of the same task adds nothing); with a
 * task whose create was in flight it resolves that create by the task's ambiguous-create policy
 * (never sending it again under {@code fail}); with any other task it only answers with its id.
 *
 * <p><b>Ambiguous creates under {@code retry-once}</b> are created again in the same request when
 * at most a third of the claim's lease has passed, else by the poller (the task is due at once).
 */
final class SubmitTask {
    /** How long the recorded, in-flight task stays out of the poller's way (longer than the Lambda timeout). */
    static final Duration IN_FLIGHT_GRACE = Duration.ofSeconds(60);
    /** When the poller tries again after a clear failure without a retry-after. */
    static final Duration CREATE_RETRY_DELAY = Duration.ofSeconds(30);
    /**
     * Request bodies above this many UTF-8 bytes (large data URIs) are stored with data URIs
     * elided, since a DynamoDB item holds at most 400 KB; such a task cannot be re-sent later.
     */
    static final int STORED_REQUEST_LIMIT = 300_000;
    /** A retry-once create is sent in the request while at most lease / this much of the request has passed. */
    static final int IN_REQUEST_RETRY_SHARE = 3;

    private static final System.Logger LOG = System.getLogger(SubmitTask.class.getName());

    private final RequestCheck check;
    private final Catalog catalog;
    private final long unpricedCredits;
    private final Idempotency idempotency;
    private final AdmissionControl admissions;
    private final UsageLedger ledger;
    private final TaskRepository tasks;
    private final RunwayGateway runway;
    private final Clock clock;
    private final Supplier<String> ids;
    private final Function<SubmitOutcome, StoredResponse> replayForm;
    private final Metrics metrics;

    /**
     * @param replayForm the answer to store for a lasting outcome, exactly as the app receives it
     */
    SubmitTask(RequestCheck check, Catalog catalog, long unpricedCredits, Idempotency idempotency,
               AdmissionControl admissions, UsageLedger ledger, TaskRepository tasks, RunwayGateway runway, Clock clock,
               Supplier<String> ids, Function<SubmitOutcome, StoredResponse> replayForm) {
        this(check, catalog, unpricedCredits, idempotency, admissions, ledger, tasks, runway, clock, ids, replayForm,
                Metrics.none());
    }

    /** As above, recording every answer's outcome as {@link RelayMetric#SUBMITS}. */
    SubmitTask(RequestCheck check, Catalog catalog, long unpricedCredits, Idempotency idempotency,
               AdmissionControl admissions, UsageLedger ledger, TaskRepository tasks, RunwayGateway runway, Clock clock,
               Supplier<String> ids, Function<SubmitOutcome, StoredResponse> replayForm, Metrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.check = check;
        this.catalog = catalog;
        this.unpricedCredits = unpricedCredits;
        this.idempotency = idempotency;
        this.admissions = admissions;
        this.ledger = ledger;
        this.tasks = tasks;
        this.runway = runway;
        this.clock = clock;
        this.ids = ids;
        this.replayForm = replayForm;
    }

    SubmitOutcome submit(SubmitCommand command) {
        Instant started = clock.instant();
        SubmitOutcome outcome = decide(command);
        String name = outcomeName(outcome);
        metrics.record(RelayMetric.SUBMITS, 1, name);
        JsonLog.STDOUT.event("submit.answered").appId(command.app().id()).taskId(taskIdOf(outcome))
                .field("endpoint", command.endpoint()).field("outcome", name)
                .duration(Duration.between(started, clock.instant())).info();
        return outcome;
    }

    /** The task an answer is about, if any. */
    private static String taskIdOf(SubmitOutcome outcome) {
        return switch (outcome) {
            case Accepted accepted -> accepted.taskId();
            case SubmitOutcome.RunwayRejected rejected -> rejected.taskId();
            case SubmitOutcome.KeyReused reused -> reused.taskId();
            case SubmitOutcome.KeyInProgress busy -> busy.taskId();
            default -> null;
        };
    }

    /**
     * Counts a submission the edge refused before this use case saw it (a body too large, not UTF-8,
     * with duplicate keys, too deep): as {@code invalid}, like the answers of {@link #submit}.
     */
    void refusedAtTheEdge() {
        metrics.record(RelayMetric.SUBMITS, 1, RelayMetric.Submit.INVALID);
    }

    /** The {@code Outcome} dimension of {@link RelayMetric#SUBMITS} for an answer. */
    static String outcomeName(SubmitOutcome outcome) {
        return switch (outcome) {
            case Accepted ignored -> RelayMetric.Submit.ACCEPTED;
            case SubmitOutcome.Invalid ignored -> RelayMetric.Submit.INVALID;
            case SubmitOutcome.InvalidIdempotencyKey ignored -> RelayMetric.Submit.INVALID_IDEMPOTENCY_KEY;
            case SubmitOutcome.Replayed ignored -> RelayMetric.Submit.REPLAYED;
            case SubmitOutcome.KeyReused ignored -> RelayMetric.Submit.KEY_REUSED;
            case SubmitOutcome.KeyInProgress ignored -> RelayMetric.Submit.KEY_IN_PROGRESS;
            case SubmitOutcome.OverBudget ignored -> RelayMetric.Submit.OVER_BUDGET;
            case SubmitOutcome.TooManyActive ignored -> RelayMetric.Submit.TOO_MANY_ACTIVE;
            case SubmitOutcome.RunwayRejected ignored -> RelayMetric.Submit.RUNWAY_REJECTED;
            case SubmitOutcome.RunwayUnavailable ignored -> RelayMetric.Submit.RUNWAY_UNAVAILABLE;
        };
    }

    private SubmitOutcome decide(SubmitCommand command) {
        Instant now = clock.instant();
        // Parsed (strictly) at the edge; read only from here on: the fingerprint below is taken from it.
        ObjectNode body = command.body();
        String key = command.idempotencyKey();
        if (key != null) {
            var problem = Idempotency.problemWith(key);
            if (problem.isPresent()) {
                return new SubmitOutcome.InvalidIdempotencyKey(problem.get());
            }
        }
        RequestCheck.Result checked = check.check(command.app(), command.endpoint(), body, now);
        if (!checked.valid()) {
            return new SubmitOutcome.Invalid(checked.violations());
        }
        String taskId = ids.get();
        if (key == null) {
            return accept(command, checked, taskId, now, now);
        }
        App app = command.app();
        Decision decision = idempotency.begin(app.id(), key, CanonicalJson.fingerprint(command.endpoint(), body), taskId,
                now);
        return switch (decision) {
            case Decision.Replay replay -> new SubmitOutcome.Replayed(replay.response());
            case Decision.Mismatch mismatch -> new SubmitOutcome.KeyReused(key, mismatch.taskId());
            case Decision.InProgress busy -> new SubmitOutcome.KeyInProgress(key, busy.taskId());
            case Decision.Proceed proceed -> owned(command, key, proceed.taskId(), proceed.leaseUntil(),
                    () -> accept(command, checked, proceed.taskId(), proceed.requestedAt(), now));
            case Decision.TakeOver takeOver -> owned(command, key, takeOver.taskId(), takeOver.leaseUntil(),
                    () -> takeOver(command, checked, takeOver.taskId(), takeOver.requestedAt(), now));
        };
    }

    /** Runs the work of the request that owns the key and stores its answer, or frees the key when it has none. */
    private SubmitOutcome owned(SubmitCommand command, String key, String taskId, Instant leaseUntil,
                                Supplier<SubmitOutcome> work) {
        String appId = command.app().id();
        SubmitOutcome outcome;
        try {
            outcome = work.get();
        } catch (RuntimeException e) {
            idempotency.abandon(appId, key, taskId, leaseUntil);
            throw e;
        }
        if (lasting(outcome)) {
            idempotency.complete(appId, key, taskId, replayForm.apply(outcome));
        } else {
            idempotency.abandon(appId, key, taskId, leaseUntil);
        }
        return outcome;
    }

    /**
     * Whether an owned request's outcome is its lasting answer, replayed to repeats; the others
     * (over budget, too many active, Runway unavailable) free the key for a later try.
     */
    private static boolean lasting(SubmitOutcome outcome) {
        return outcome instanceof Accepted || outcome instanceof SubmitOutcome.RunwayRejected;
    }

    /**
     * Carries on for a request whose claim lapsed unanswered: the request that made it stopped
     * somewhere between its claim and its answer.
     */
    private SubmitOutcome takeOver(SubmitCommand command, RequestCheck.Result checked, String taskId, Instant requestedAt,
                             Instant started) {
        Task task = tasks.find(taskId).orElse(null);
        if (task == null) {
            LOG.log(Level.INFO, "task " + taskId + ": took over an idempotency claim with no task recorded; submitting it");
            return accept(command, checked, taskId, requestedAt, started);
        }
        if (task.state() == TaskState.ACCEPTED && TaskCreation.inFlight(task) && task.leaseOwner() == null) {
            // The create was sent by the request whose lease ended, so that request has stopped (a
            // poller's attempt would hold a poller lease): it may have reached Runway.
            LOG.log(Level.WARNING, "task " + taskId + ": took over an idempotency claim whose create was in flight;"
                    + " resolving it as ambiguous (policy " + task.request().ambiguousCreates().wireName() + ")");
            TaskCreation creation = new TaskCreation(runway, ledger);
            Task resolved = creation.abandoned(task, clock.instant());
            String fullJson = fullRequest(checked, task);
            if (TaskCreation.retryingAmbiguous(resolved)) {
                if (retryFitsThisRequest(started)) {
                    Task again = TaskCreation.begin(resolved, clock.instant()).toBuilder()
                            .version(resolved.version()).dueAt(clock.instant().plus(IN_FLIGHT_GRACE)).build();
                    if (tasks.replace(task, again)) {
                        return sendCreates(again, fullJson, started);
                    }
                    return new Accepted(task.id(), task.request().estimatedCredits());
                }
                if (!fullJson.equals(task.request().json())) {
                    resolved = creation.withoutRetry(resolved,
                            "the request is too large to keep for the poller to create it again");
                }
            }
            write(task, resolved);
        }
        return new Accepted(task.id(), task.request().estimatedCredits());
    }

    private SubmitOutcome accept(SubmitCommand command, RequestCheck.Result checked, String taskId, Instant requestedAt,
                           Instant started) {
        App app = command.app();
        ObjectNode forward = checked.forward();
        // A workflow run reserves the app's ceiling for it (present: the edge refuses a run without one); a routed
        // generation its router's cap (RouterCheck).
        long credits = checked.routedCredits() != null ? checked.routedCredits()
                : WorkflowRuns.workflowId(command.endpoint()).map(app.workflowCeilings()::get)
                .orElseGet(() -> catalog.estimateCredits(command.endpoint(), forward).orElse(unpricedCredits));
        Admission admission = admissions.admit(new Reservation(app.id(), taskId, checked.model(), requestedAt, credits,
                app.dailyCreditBudget(), app.maxActiveTasks()));
        if (admission instanceof Admission.OverBudget over) {
            return new SubmitOutcome.OverBudget(over,
                    UsageLedger.dayOf(requestedAt).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        }
        if (admission instanceof Admission.TooManyActive full) {
            return new SubmitOutcome.TooManyActive(full.activeTasks(), full.maxActiveTasks());
        }
        String fullJson = forward.toString();
        boolean keepsFullRequest = fullJson.getBytes(StandardCharsets.UTF_8).length <= STORED_REQUEST_LIMIT;
        String storedJson = keepsFullRequest ? fullJson : elideDataUris(forward).toString();
        RelayOptions relay = checked.relay();
        Instant now = clock.instant();
        Task accepted = Task.accepted(taskId, app.id(), command.endpoint(), checked.model(), storedJson, credits,
                        requestedAt)
                .idempotencyKey(command.idempotencyKey())
                // The app's default, vetted when the operator set it, serves a request that names none.
                .callbackUrl(relay.callbackUrl() != null ? relay.callbackUrl() : app.defaultCallbackUrl())
                .metadataJson(relay.metadataJson())
                .deadline(relay.deadline())
                .linkTtl(relay.linkTtl())
                .webhookEvents(relay.webhookEvents())
                .deliverTo(relay.deliverTo())
                .ambiguousCreates(app.ambiguousCreates())
                .admittedBudget(app.dailyCreditBudget())
                .build();
        // The first stored version already carries the in-flight attempt (write-ahead: no create is
        // ever sent without a record of it), and stays out of the poller's way until this request is
        // surely over.
        Task begun = TaskCreation.begin(accepted, now).toBuilder().dueAt(now.plus(IN_FLIGHT_GRACE)).build();
        try {
            tasks.insert(begun);
        } catch (TaskAlreadyExistsException e) {
            // Another request with this key (one that took the claim over, or the one it took it from) recorded
            // the task first: that request owns the reservation and the create; answer with the task.
            return new Accepted(taskId, credits);
        } catch (RuntimeException e) {
            ledger.settle(Settlement.of(accepted, 0));
            throw e;
        }
        return sendCreates(begun, fullJson, started);
    }

    /**
     * Sends the create of a task just written with its attempt in flight, and once more under
     * {@code retry-once} after an ambiguous answer; never fails once the task is recorded.
     */
    private SubmitOutcome sendCreates(Task begun, String fullJson, Instant started) {
        try {
            return create(begun, fullJson, started);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "task " + begun.id() + " was recorded but its create did not complete normally: "
                    + e.getClass().getName() + ": " + e.getMessage());
            return new Accepted(begun.id(), begun.request().estimatedCredits());
        }
    }

    private SubmitOutcome create(Task begun, String fullJson, Instant started) {
        boolean keepsFullRequest = fullJson.equals(begun.request().json());
        TaskCreation creation = new TaskCreation(runway, ledger);
        Task sent = begun;
        TaskCreation.Sent attempt = send(creation, sent, fullJson);
        Task result = attempt.next();
        if (TaskCreation.retryingAmbiguous(result)) {
            if (retryFitsThisRequest(started)) {
                Task again = TaskCreation.begin(result, clock.instant()).toBuilder()
                        .version(result.version()).dueAt(clock.instant().plus(IN_FLIGHT_GRACE)).build();
                if (!write(sent, again)) {
                    return new Accepted(begun.id(), begun.request().estimatedCredits());
                }
                sent = again;
                attempt = send(creation, sent, fullJson);
                result = attempt.next();
            } else if (!keepsFullRequest) {
                result = creation.withoutRetry(result,
                        "the request is too large to keep for the poller to create it again");
            }
        }
        CreateOutcome outcome = attempt.outcome();
        boolean unavailable = outcome instanceof CreateOutcome.Unavailable;
        if (unavailable && !keepsFullRequest) {
            result = result.toBuilder().state(TaskState.FAILED).dueAt(null).failureCode("RELAY.RUNWAY_UNAVAILABLE")
                    .failure("Runway was unavailable and the request is too large to keep for a later try; send it again")
                    .build();
        }
        write(sent, result);
        return switch (outcome) {
            case CreateOutcome.Rejected rejected -> {
                ledger.settle(Settlement.of(begun, 0));
                yield new SubmitOutcome.RunwayRejected(begun.id(), rejected.error(), rejected.issues());
            }
            case CreateOutcome.Unavailable u when !keepsFullRequest -> {
                ledger.settle(Settlement.of(begun, 0));
                yield new SubmitOutcome.RunwayUnavailable(u.reason(),
                        u.retryAfter() != null ? u.retryAfter() : CREATE_RETRY_DELAY);
            }
            default -> new Accepted(begun.id(), begun.request().estimatedCredits(), result.runway().routingJson());
        };
    }

    /** One create of a task written with its attempt in flight; the stored body stays as stored. */
    private TaskCreation.Sent send(TaskCreation creation, Task begun, String fullJson) {
        Task toSend = fullJson.equals(begun.request().json()) ? begun : begun.toBuilder().requestJson(fullJson).build();
        TaskCreation.Sent sent = creation.send(toSend, clock.instant(), CREATE_RETRY_DELAY);
        return new TaskCreation.Sent(sent.outcome(), sent.next().toBuilder().requestJson(begun.request().json()).build());
    }

    /** Whether a second create still fits in this request, which started at {@code started}. */
    private boolean retryFitsThisRequest(Instant started) {
        return !clock.instant().isAfter(started.plus(idempotency.lease().dividedBy(IN_REQUEST_RETRY_SHARE)));
    }

    /** The body to send for a task taken over: this request's own (the same request, data URIs included). */
    private static String fullRequest(RequestCheck.Result checked, Task task) {
        String fullJson = checked.forward().toString();
        return fullJson.getBytes(StandardCharsets.UTF_8).length <= STORED_REQUEST_LIMIT ? task.request().json() : fullJson;
    }

    /**
     * Writes the create's result. Losing the race means someone else wrote the task meanwhile:
     * the app deleted it (then a Runway task just created is cancelled), the poller touched it
     * (then the result, which is the truth about this create, is written over its version), or a
     * request that took the key over moved on to another attempt (then a Runway task just created
     * is on no record and is cancelled too).
     *
     * @return whether the result (or its merge onto a newer version) was written
     */
    private boolean write(Task begun, Task result) {
        Task current = begun;
        Task next = result;
        for (int attempt = 0; attempt < 3; attempt++) {
            if (tasks.replace(current, next)) {
                return true;
            }
            Task stored = tasks.find(begun.id()).orElse(null);
            if (stored == null) {
                return false;
            }
            boolean sameAttempt = stored.runway().attempts().size() == begun.runway().attempts().size();
            if (stored.state() != TaskState.ACCEPTED || !sameAttempt) {
                if (result.runway().taskId() != null && !result.runway().taskId().equals(stored.runway().taskId())
                        && (stored.state().isTerminal() || !sameAttempt)) {
                    LOG.log(Level.WARNING, "task " + begun.id() + ": created Runway task " + result.runway().taskId()
                            + " after the task moved on (" + stored.state() + ", attempt " + stored.runway().attempts().size()
                            + "); cancelling it at Runway");
                    runway.cancel(result.request().endpoint(), result.runway().taskId());
                }
                return false;
            }
            current = stored;
            next = stored.next(clock.instant()).state(result.state()).runwayTaskId(result.runway().taskId())
                    .routingJson(result.runway().routingJson())
                    .runwayStatus(result.runway().status()).attempts(result.runway().attempts()).stateReason(result.stateReason())
                    .pollBackoff(result.runway().backoff())
                    .failure(result.failure()).failureCode(result.failureCode()).dueAt(result.dueAt())
                    .possibleOrphanCredits(result.runway().possibleOrphanCredits()).build();
        }
        LOG.log(Level.WARNING, "task " + begun.id() + ": the create's result lost three write races; left as stored");
        return false;
    }

    /** A copy with every data URI replaced by a short placeholder naming its media type and length. */
    static JsonNode elideDataUris(JsonNode node) {
        if (node instanceof TextNode text && text.textValue().startsWith("data:")) {
            String value = text.textValue();
            int comma = value.indexOf(',');
            String header = comma > 0 ? value.substring(0, Math.min(comma, 100)) : "data:";
            return TextNode.valueOf(header + ",<" + value.length() + " characters not stored>");
        }
        if (node instanceof ObjectNode object) {
            ObjectNode copy = object.objectNode();
            object.properties().forEach(e -> copy.set(e.getKey(), elideDataUris(e.getValue())));
            return copy;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = array.arrayNode();
            array.forEach(item -> copy.add(elideDataUris(item)));
            return copy;
        }
        return node;
    }
}
