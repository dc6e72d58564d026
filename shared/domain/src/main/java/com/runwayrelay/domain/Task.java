package com.runwayrelay.domain;

import com.runwayrelay.domain.delivery.DeliverTo;
import com.runwayrelay.domain.runway.AmbiguousCreatePolicy;
import com.runwayrelay.domain.webhook.WebhookEventType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A gateway task as stored: one app request, the Runway task(s) created for it, and its outputs.
 *
 * <p>Immutable. Every change goes through {@link #toBuilder()} and is written with a conditional
 * update on {@link #version()}; see {@link TaskRepository}. The task's own lifecycle (state,
 * version, failure, schedule, lease, history) is held here; what the app asked for, what happened
 * at Runway, the archive and the webhook are each one sub-record. {@link Builder} stays flat: every
 * field has its own setter, whichever sub-record holds it.
 *
 * @param id          our task id (UUID), the {@code id} apps see
 * @param appId       the owning app
 * @param state       where the task stands
 * @param version     incremented on every write; the optimistic-lock token
 * @param request     what the app asked for, fixed at submission
 * @param runway      the Runway side: creates made, the current Runway task, what Runway reported
 * @param archive     the outputs stored in S3 and the archiver's attempts
 * @param webhook     webhook delivery state, or null when there is no callback
 * @param deliveries  the outcome of each output's delivery to the app's storage ({@link Request#deliverTo()}),
 *                    in output order, one per output whose delivery ended; empty without {@code deliverTo}
 * @param failure     human-readable failure, or null
 * @param failureCode machine failure code (Runway's, or the gateway's own), or null
 * @param stateReason why the task is in its state when that is not obvious (e.g. an ambiguous create), or null;
 *                    text for people (the status endpoint shows it), with a few constants code compares
 *                    ({@code TaskCreation.AMBIGUOUS}, {@code TaskVisibility.DELETED}); counts and waits are
 *                    fields of their own ({@link Archive#attempts()}, {@link RunwaySide#backoff()})
 * @param createdAt   when the app submitted it
 * @param updatedAt   last write
 * @param dueAt       when background work is next due; null takes the task out of the due index
 * @param leaseOwner  the poller run holding the lease, or null
 * @param leaseUntil  when that lease lapses, or null
 * @param history     every state the task went through, oldest first; appended by the version that
 *                    changes the state (see {@link Builder#build()}), so it costs no extra write. Tasks
 *                    written before it was recorded have an empty history until their next change
 */
public record Task(
        String id,
        String appId,
        TaskState state,
        long version,
        Request request,
        RunwaySide runway,
        Archive archive,
        WebhookDelivery webhook,
        List<OutputDelivery> deliveries,
        String failure,
        String failureCode,
        String stateReason,
        Instant createdAt,
        Instant updatedAt,
        Instant dueAt,
        String leaseOwner,
        Instant leaseUntil,
        List<StateChange> history) {

    public Task {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(appId, "appId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(runway, "runway");
        Objects.requireNonNull(archive, "archive");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        history = history == null ? List.of() : List.copyOf(history);
        deliveries = deliveries == null ? List.of() : List.copyOf(deliveries);
    }

    /**
     * What the app asked for, fixed when the task was admitted.
     *
     * @param endpoint         the Runway endpoint without {@code /v1/}, e.g. {@code text_to_image}
     * @param model            the requested model
     * @param json             the body forwarded to Runway (gateway-only fields removed), opaque here
     * @param idempotencyKey   the app's {@code Idempotency-Key}, or null
     * @param callbackUrl      where to send the webhook, or null
     * @param metadataJson     app metadata echoed back, opaque, or null
     * @param deadline         when the app stops caring; past it the task is cancelled (EXPIRED), or null
     * @param estimatedCredits credits reserved against the app's budget
     * @param ambiguousCreates the app's ambiguous-create policy when the task was submitted (it applies to the
     *                         task for good); {@link AmbiguousCreatePolicy#FAIL} when null
     * @param admittedBudget   the app's daily credit budget when the task was admitted: the limit a retry after
     *                         an ambiguous create reserves its possible orphan against; null for tasks written
     *                         before it was recorded (they are never retried that way)
     * @param linkTtl          the lifetime the app asked for the links to this task's outputs
     *                         ({@code relay.linkTtlSeconds}, within {@link #MIN_LINK_TTL}..{@link #MAX_LINK_TTL}),
     *                         or null for the deployment's; signing still caps it by the credentials' life
     * @param webhookEvents    the events the app wants webhooks for ({@code relay.webhookEvents}), or null for
     *                         {@link WebhookEventType#DEFAULT} (the three ends); an empty set asks for none
     * @param deliverTo        where the outputs are delivered after archiving ({@code relay.deliverTo}), or null
     */
    public record Request(String endpoint, String model, String json, String idempotencyKey, String callbackUrl,
                          String metadataJson, Instant deadline, long estimatedCredits,
                          AmbiguousCreatePolicy ambiguousCreates, Long admittedBudget, Duration linkTtl,
                          Set<WebhookEventType> webhookEvents, DeliverTo deliverTo) {
        /** The shortest link lifetime a task may ask for; the same bound as the deployment's {@code LinkTtlSeconds}. */
        public static final Duration MIN_LINK_TTL = Duration.ofSeconds(60);
        /** The longest: S3 refuses SigV4 pre-signed links valid for more than seven days. */
        public static final Duration MAX_LINK_TTL = Duration.ofDays(7);

        public Request {
            Objects.requireNonNull(endpoint, "endpoint");
            ambiguousCreates = AmbiguousCreatePolicy.orDefault(ambiguousCreates);
            if (linkTtl != null && (linkTtl.compareTo(MIN_LINK_TTL) < 0 || linkTtl.compareTo(MAX_LINK_TTL) > 0)) {
                throw new IllegalArgumentException("linkTtl must be within " + MIN_LINK_TTL + ".." + MAX_LINK_TTL
                        + ", was " + linkTtl);
            }
            webhookEvents = webhookEvents == null ? null : Set.copyOf(webhookEvents);
        }

        /**
         * Whether a webhook announces {@code event} for this request: it has a callback URL and its
         * {@link #webhookEvents()} (when set; else {@link WebhookEventType#DEFAULT}) include the event.
         * Every writer that schedules a delivery and the notifier ask this, so an unwanted event is never pending.
         */
        public boolean announces(WebhookEventType event) {
            return callbackUrl != null && !callbackUrl.isBlank()
                    && (webhookEvents == null ? WebhookEventType.DEFAULT : webhookEvents).contains(event);
        }
    }

    /**
     * The Runway side of the task.
     *
     * @param taskId                the current Runway task, or null before the create succeeds
     * @param status                the last Runway status seen, or null before the create succeeds
     * @param progress              0..1 while running, or null
     * @param attempts              Runway creates made so far, newest last
     * @param actualCredits         credits Runway charged once the task ended, or null
     * @param outputs               Runway's output URLs (transient, they expire), empty until OUTPUT_READY
     * @param pollGap               while SUBMITTED: the wait between two reads of the Runway task the poller last
     *                              chose; a claim holds the task (and sets it due again) this long, so a read that
     *                              finds nothing new needs no further write. Null until first chosen
     * @param backoff               the wait chosen after Runway could last not be asked (the next one grows from
     *                              it), while {@link Task#stateReason()} says so; null otherwise
     * @param possibleOrphanCredits estimated credits of this task's creates that may have made a billed Runway
     *                              task nobody can see (ambiguous creates); each is counted in the app's usage
     * @param outputNodes           for a workflow invocation: the workflow node that produced each of
     *                              {@code outputs}, index for index; empty for a task
     * @param nodeErrorsJson        for a workflow invocation: Runway's {@code nodeErrors} object as JSON text,
     *                              opaque here and passed through to the app; null when Runway sent none
     * @param routingJson           for a routed generation ({@code generate/*}): the Model Router's {@code routing}
     *                              object from the create's answer as JSON text, opaque here and passed through to
     *                              the app; null for other tasks and before the create succeeds
     * @param waitedUntil           the first read that found the current Runway task past waiting
     *                              ({@link RunwayStatus#PENDING} or {@link RunwayStatus#THROTTLED}) after a read saw it
     *                              waiting: it has run no longer than since then, and the poller counts its age from
     *                              here (docs/decisions.md, "Reading THROTTLED tasks"). Written by that read, which
     *                              writes the new status anyway; null until then, and for tasks written before it
     *                              was recorded
     */
    public record RunwaySide(String taskId, RunwayStatus status, Double progress, List<Attempt> attempts,
                             Long actualCredits, List<String> outputs, Duration pollGap, Duration backoff,
                             long possibleOrphanCredits, List<String> outputNodes, String nodeErrorsJson,
                             String routingJson, Instant waitedUntil) {
        public RunwaySide {
            attempts = attempts == null ? List.of() : List.copyOf(attempts);
            outputs = outputs == null ? List.of() : List.copyOf(outputs);
            outputNodes = outputNodes == null ? List.of() : List.copyOf(outputNodes);
            if (possibleOrphanCredits < 0) {
                throw new IllegalArgumentException("possibleOrphanCredits must be >= 0");
            }
            if (!outputNodes.isEmpty() && outputNodes.size() != outputs.size()) {
                throw new IllegalArgumentException("outputNodes must name one node per output");
            }
        }

        /** A Runway side never seen leaving THROTTLED. */
        public RunwaySide(String taskId, RunwayStatus status, Double progress, List<Attempt> attempts,
                          Long actualCredits, List<String> outputs, Duration pollGap, Duration backoff,
                          long possibleOrphanCredits, List<String> outputNodes, String nodeErrorsJson,
                          String routingJson) {
            this(taskId, status, progress, attempts, actualCredits, outputs, pollGap, backoff, possibleOrphanCredits,
                    outputNodes, nodeErrorsJson, routingJson, null);
        }

        /** A Runway side without {@code routing}. */
        public RunwaySide(String taskId, RunwayStatus status, Double progress, List<Attempt> attempts,
                          Long actualCredits, List<String> outputs, Duration pollGap, Duration backoff,
                          long possibleOrphanCredits, List<String> outputNodes, String nodeErrorsJson) {
            this(taskId, status, progress, attempts, actualCredits, outputs, pollGap, backoff, possibleOrphanCredits,
                    outputNodes, nodeErrorsJson, null);
        }

        /** A task's Runway side (no workflow nodes). */
        public RunwaySide(String taskId, RunwayStatus status, Double progress, List<Attempt> attempts,
                          Long actualCredits, List<String> outputs, Duration pollGap, Duration backoff,
                          long possibleOrphanCredits) {
            this(taskId, status, progress, attempts, actualCredits, outputs, pollGap, backoff, possibleOrphanCredits,
                    List.of(), null);
        }

        /** The latest create, or null before the first. */
        public Attempt lastAttempt() {
            return attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
        }
    }

    /**
     * The archive of the task's outputs.
     *
     * @param records   one record per archived output, empty until ARCHIVED
     * @param attempts  archive attempts started so far (counted before the work, so a run cut off counts too)
     * @param lastError why the last attempt failed, or null when none failed or the last one never
     *                  recorded its end
     */
    public record Archive(List<ArchiveRecord> records, int attempts, String lastError) {
        public Archive {
            records = records == null ? List.of() : List.copyOf(records);
            if (attempts < 0) {
                throw new IllegalArgumentException("archive attempts must be >= 0");
            }
        }
    }

    /** A new task in {@link TaskState#ACCEPTED}, version 1, due now; its history starts with that state. */
    public static Builder accepted(String id, String appId, String endpoint, String model, String requestJson,
                                   long estimatedCredits, Instant now) {
        return new Builder()
                .id(id).appId(appId).endpoint(endpoint).model(model).state(TaskState.ACCEPTED).version(1)
                .requestJson(requestJson).estimatedCredits(estimatedCredits)
                .createdAt(now).updatedAt(now).dueAt(now)
                .history(List.of(new StateChange(TaskState.ACCEPTED, now, null)));
    }

    /** A builder holding this task's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * The next version of this task: version + 1, {@code updatedAt} = now, everything else as
     * the builder sets it. Terminal states leave the due index unless the webhook still has work.
     */
    public Builder next(Instant now) {
        return new Builder(this).version(version + 1).updatedAt(now);
    }

    /** The Runway task of the latest attempt, if any. */
    public Attempt lastAttempt() {
        return runway.lastAttempt();
    }

    /** Mutable assembly of a {@link Task}, one setter per field of the task and its sub-records; {@link #build()} validates. */
    public static final class Builder {
        private String id;
        private String appId;
        private String endpoint;
        private String model;
        private TaskState state;
        private long version;
        private String requestJson;
        private String idempotencyKey;
        private String runwayTaskId;
        private RunwayStatus runwayStatus;
        private Double progress;
        private List<Attempt> attempts = List.of();
        private long estimatedCredits;
        private Long actualCredits;
        private List<String> outputs = List.of();
        private List<String> outputNodes = List.of();
        private String nodeErrorsJson;
        private String routingJson;
        private List<ArchiveRecord> archive = List.of();
        private int archiveAttempts;
        private String archiveError;
        private String callbackUrl;
        private String metadataJson;
        private Instant deadline;
        private String failure;
        private String failureCode;
        private String stateReason;
        private Instant createdAt;
        private Instant updatedAt;
        private Instant dueAt;
        private String leaseOwner;
        private Instant leaseUntil;
        private WebhookDelivery webhook;
        private Duration pollGap;
        private Duration pollBackoff;
        private Instant waitedUntil;
        private AmbiguousCreatePolicy ambiguousCreates;
        private Long admittedBudget;
        private long possibleOrphanCredits;
        private Duration linkTtl;
        private Set<WebhookEventType> webhookEvents;
        private DeliverTo deliverTo;
        private List<OutputDelivery> deliveries = List.of();
        private List<StateChange> history = List.of();
        /** The state of the task this builder started from, or null for a builder started empty. */
        private TaskState from;

        public Builder() {
        }

        private Builder(Task t) {
            id = t.id;
            appId = t.appId;
            state = t.state;
            version = t.version;
            endpoint = t.request.endpoint();
            model = t.request.model();
            requestJson = t.request.json();
            idempotencyKey = t.request.idempotencyKey();
            callbackUrl = t.request.callbackUrl();
            metadataJson = t.request.metadataJson();
            deadline = t.request.deadline();
            estimatedCredits = t.request.estimatedCredits();
            ambiguousCreates = t.request.ambiguousCreates();
            admittedBudget = t.request.admittedBudget();
            linkTtl = t.request.linkTtl();
            webhookEvents = t.request.webhookEvents();
            deliverTo = t.request.deliverTo();
            deliveries = t.deliveries;
            runwayTaskId = t.runway.taskId();
            runwayStatus = t.runway.status();
            progress = t.runway.progress();
            attempts = t.runway.attempts();
            actualCredits = t.runway.actualCredits();
            outputs = t.runway.outputs();
            outputNodes = t.runway.outputNodes();
            nodeErrorsJson = t.runway.nodeErrorsJson();
            routingJson = t.runway.routingJson();
            pollGap = t.runway.pollGap();
            pollBackoff = t.runway.backoff();
            waitedUntil = t.runway.waitedUntil();
            possibleOrphanCredits = t.runway.possibleOrphanCredits();
            archive = t.archive.records();
            archiveAttempts = t.archive.attempts();
            archiveError = t.archive.lastError();
            webhook = t.webhook;
            failure = t.failure;
            failureCode = t.failureCode;
            stateReason = t.stateReason;
            createdAt = t.createdAt;
            updatedAt = t.updatedAt;
            dueAt = t.dueAt;
            leaseOwner = t.leaseOwner;
            leaseUntil = t.leaseUntil;
            history = t.history;
            from = t.state;
        }

        public Builder id(String v) { id = v; return this; }
        public Builder appId(String v) { appId = v; return this; }
        public Builder endpoint(String v) { endpoint = v; return this; }
        public Builder model(String v) { model = v; return this; }
        public Builder state(TaskState v) { state = v; return this; }
        public Builder version(long v) { version = v; return this; }
        public Builder requestJson(String v) { requestJson = v; return this; }
        public Builder idempotencyKey(String v) { idempotencyKey = v; return this; }
        public Builder runwayTaskId(String v) { runwayTaskId = v; return this; }
        public Builder runwayStatus(RunwayStatus v) { runwayStatus = v; return this; }
        public Builder progress(Double v) { progress = v; return this; }
        public Builder attempts(List<Attempt> v) { attempts = v; return this; }
        public Builder estimatedCredits(long v) { estimatedCredits = v; return this; }
        public Builder actualCredits(Long v) { actualCredits = v; return this; }
        /** Runway's output URLs; clears {@link RunwaySide#outputNodes()}, which {@link #outputNodes} sets after. */
        public Builder outputs(List<String> v) { outputs = v; outputNodes = List.of(); return this; }
        /** {@link RunwaySide#outputNodes()}: set after {@link #outputs}. */
        public Builder outputNodes(List<String> v) { outputNodes = v; return this; }
        /** {@link RunwaySide#nodeErrorsJson()}. */
        public Builder nodeErrorsJson(String v) { nodeErrorsJson = v; return this; }
        /** {@link RunwaySide#routingJson()}. */
        public Builder routingJson(String v) { routingJson = v; return this; }
        /** The archive's records ({@link Archive#records()}). */
        public Builder archive(List<ArchiveRecord> v) { archive = v; return this; }
        public Builder archiveAttempts(int v) { archiveAttempts = v; return this; }
        public Builder archiveError(String v) { archiveError = v; return this; }
        public Builder callbackUrl(String v) { callbackUrl = v; return this; }
        public Builder metadataJson(String v) { metadataJson = v; return this; }
        public Builder deadline(Instant v) { deadline = v; return this; }
        public Builder failure(String v) { failure = v; return this; }
        public Builder failureCode(String v) { failureCode = v; return this; }

        /**
         * Sets the reason and clears {@link RunwaySide#backoff()}: a backoff belongs to the
         * "Runway unavailable" reason it was chosen with ({@link #backingOff}), and any other reason
         * ends it. A reader restoring a stored task sets the backoff after the reason.
         */
        public Builder stateReason(String v) { stateReason = v; pollBackoff = null; return this; }

        /** The reason Runway could not be asked and the wait chosen before the next try. */
        public Builder backingOff(String reason, Duration wait) {
            stateReason = reason;
            pollBackoff = Objects.requireNonNull(wait, "wait");
            return this;
        }

        public Builder createdAt(Instant v) { createdAt = v; return this; }
        public Builder updatedAt(Instant v) { updatedAt = v; return this; }
        public Builder dueAt(Instant v) { dueAt = v; return this; }
        public Builder leaseOwner(String v) { leaseOwner = v; return this; }
        public Builder leaseUntil(Instant v) { leaseUntil = v; return this; }
        public Builder webhook(WebhookDelivery v) { webhook = v; return this; }
        public Builder pollGap(Duration v) { pollGap = v; return this; }
        /** {@link RunwaySide#backoff()} as stored; see {@link #stateReason}. */
        public Builder pollBackoff(Duration v) { pollBackoff = v; return this; }
        /** {@link RunwaySide#waitedUntil()}. */
        public Builder waitedUntil(Instant v) { waitedUntil = v; return this; }
        public Builder ambiguousCreates(AmbiguousCreatePolicy v) { ambiguousCreates = v; return this; }
        public Builder admittedBudget(Long v) { admittedBudget = v; return this; }
        public Builder possibleOrphanCredits(long v) { possibleOrphanCredits = v; return this; }
        /** {@link Request#linkTtl()}: null for the deployment's link lifetime. */
        public Builder linkTtl(Duration v) { linkTtl = v; return this; }
        /** {@link Request#webhookEvents()}: null for {@link WebhookEventType#DEFAULT}. */
        public Builder webhookEvents(Set<WebhookEventType> v) { webhookEvents = v; return this; }
        /** {@link Request#deliverTo()}: null when the outputs are only archived. */
        public Builder deliverTo(DeliverTo v) { deliverTo = v; return this; }
        /** {@link Task#deliveries()}. */
        public Builder deliveries(List<OutputDelivery> v) { deliveries = v == null ? List.of() : v; return this; }
        /** Replaces the history wholesale (reading a stored task, or a test's fixture). */
        public Builder history(List<StateChange> v) { history = v == null ? List.of() : v; return this; }

        /** Releases any lease: the owner and its expiry are cleared. */
        public Builder withoutLease() {
            leaseOwner = null;
            leaseUntil = null;
            return this;
        }

        /**
         * Builds the task. When this builder started from a task ({@link Task#toBuilder()},
         * {@link Task#next}) and the state changed, the new state is appended to the history at
         * {@code updatedAt}, with {@code stateReason} (else {@code failureCode}) as its reason:
         * the history is written by the same conditional write as the transition.
         */
        public Task build() {
            List<StateChange> h = history;
            if (from != null && state != null && state != from && updatedAt != null) {
                List<StateChange> longer = new ArrayList<>(h);
                longer.add(new StateChange(state, updatedAt, stateReason != null ? stateReason : failureCode));
                h = longer;
            }
            return new Task(id, appId, state, version,
                    new Request(endpoint, model, requestJson, idempotencyKey, callbackUrl, metadataJson, deadline,
                            estimatedCredits, ambiguousCreates, admittedBudget, linkTtl, webhookEvents, deliverTo),
                    new RunwaySide(runwayTaskId, runwayStatus, progress, attempts, actualCredits, outputs, pollGap,
                            pollBackoff, possibleOrphanCredits, outputNodes, nodeErrorsJson, routingJson,
                            waitedUntil),
                    new Archive(archive, archiveAttempts, archiveError),
                    webhook, deliveries, failure, failureCode, stateReason, createdAt, updatedAt, dueAt, leaseOwner, leaseUntil, h);
        }
    }
}
