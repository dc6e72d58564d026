package com.runwayrelay.simulator;

import com.runwayrelay.domain.media.MediaKind;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The published workflows the simulator's organization has: two versions of "Product shots" and
 * one "Voice-over", with fixed ids so tests and the demo can name them. Each graph has input nodes
 * (overridable through a run's {@code nodeOutputs}) and generation nodes, which produce outputs.
 */
public final class SimulatedWorkflows {
    /** "Product shots" v2: a prompt input, an image node (2 images), a video node (1 video). */
    public static final String PRODUCT_SHOTS_V2 = "7c1e4a52-5f0b-4d8e-9a61-2b1f0c3d4e02";
    /** "Product shots" v1: a prompt input and an image node (1 image). */
    public static final String PRODUCT_SHOTS_V1 = "7c1e4a52-5f0b-4d8e-9a61-2b1f0c3d4e01";
    /** "Voice-over" v1: a script input and an audio node (1 audio). */
    public static final String VOICE_OVER = "3f9d2b7e-8a14-4c6f-b2d5-6e7a8b9c0d11";
    /** Credits one output of a run costs. */
    static final long CREDITS_PER_OUTPUT = 5;

    /**
     * One node of a workflow graph.
     *
     * @param id      the node id ({@code nodeOutputs} keys, {@code output} keys)
     * @param name    its human-readable name
     * @param input   whether it is an input node (its outputs may be overridden; it generates nothing)
     * @param kind    what a generation node produces, null for an input node
     * @param outputs how many files a generation node produces
     */
    record Node(String id, String name, boolean input, MediaKind kind, int outputs) {
    }

    /** One published version of a workflow. */
    record Workflow(String id, String name, String description, long version, Instant createdAt, List<Node> nodes) {
        Optional<Node> node(String nodeId) {
            return nodes.stream().filter(n -> n.id().equals(nodeId)).findFirst();
        }

        List<Node> generators() {
            return nodes.stream().filter(n -> !n.input()).toList();
        }
    }

    private static final Node PROMPT = new Node("b2a4c6d8-0001-4000-8000-000000000001", "Prompt", true, null, 0);
    private static final Node IMAGES = new Node("b2a4c6d8-0002-4000-8000-000000000002", "Product images", false,
            MediaKind.IMAGE, 2);
    private static final Node IMAGE = new Node("b2a4c6d8-0002-4000-8000-000000000002", "Product image", false,
            MediaKind.IMAGE, 1);
    private static final Node VIDEO = new Node("b2a4c6d8-0003-4000-8000-000000000003", "Product video", false,
            MediaKind.VIDEO, 1);
    private static final Node SCRIPT = new Node("c3b5d7e9-0001-4000-8000-000000000001", "Script", true, null, 0);
    private static final Node SPEECH = new Node("c3b5d7e9-0002-4000-8000-000000000002", "Speech", false,
            MediaKind.AUDIO, 1);

    static final List<Workflow> ALL = List.of(
            new Workflow(PRODUCT_SHOTS_V2, "Product shots", "Stills and a short clip of a product", 2,
                    Instant.parse("2026-05-02T10:00:00Z"), List.of(PROMPT, IMAGES, VIDEO)),
            new Workflow(PRODUCT_SHOTS_V1, "Product shots", "Stills of a product", 1,
                    Instant.parse("2026-04-01T10:00:00Z"), List.of(PROMPT, IMAGE)),
            new Workflow(VOICE_OVER, "Voice-over", "A narrated script", 1,
                    Instant.parse("2026-04-15T09:30:00Z"), List.of(SCRIPT, SPEECH)));

    private SimulatedWorkflows() {
    }

    static Optional<Workflow> find(String id) {
        return ALL.stream().filter(w -> w.id().equals(id)).findFirst();
    }
}
