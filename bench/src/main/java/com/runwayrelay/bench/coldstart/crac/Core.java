package com.runwayrelay.bench.coldstart.crac;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * The global context and the in-process "checkpoint": {@link #checkpointRestore()} notifies every registered
 * resource still alive, {@code beforeCheckpoint} in the reverse order of registration, then {@code afterRestore}
 * in registration order (the order of a CRaC JVM's global context).
 */
public final class Core {
    private static final Global GLOBAL = new Global();

    private Core() {
    }

    public static Context<Resource> getGlobalContext() {
        return GLOBAL;
    }

    /**
     * Runs the hooks as a checkpoint followed at once by a restore would.
     *
     * @throws CheckpointException when a {@code beforeCheckpoint} failed (the restore hooks still ran)
     * @throws RestoreException when an {@code afterRestore} failed
     */
    public static void checkpointRestore() throws CheckpointException, RestoreException {
        checkpointRestore(GLOBAL);
    }

    /** As {@link #checkpointRestore()}, on {@code context} (tests use contexts of their own). */
    static void checkpointRestore(Global context) throws CheckpointException, RestoreException {
        CheckpointException before = null;
        try {
            context.beforeCheckpoint(null);
        } catch (CheckpointException e) {
            before = e;
        }
        context.afterRestore(null);
        if (before != null) {
            throw before;
        }
    }

    /** How many resources the last {@link #checkpointRestore()} notified. */
    public static int notified() {
        return GLOBAL.notified();
    }

    /** A global context: resources held weakly, notified in the order described above. */
    static final class Global extends Context<Resource> {
        private final List<WeakReference<Resource>> resources = new ArrayList<>();
        private int notified;

        synchronized int notified() {
            return notified;
        }

        @Override
        public synchronized void register(Resource resource) {
            resources.add(new WeakReference<>(resource));
        }

        @Override
        public synchronized void beforeCheckpoint(Context<? extends Resource> context) throws CheckpointException {
            CheckpointException failed = null;
            notified = 0;
            for (int i = resources.size() - 1; i >= 0; i--) {
                Resource resource = resources.get(i).get();
                if (resource == null) {
                    continue;
                }
                notified++;
                try {
                    resource.beforeCheckpoint(this);
                } catch (Exception e) {
                    failed = failed == null ? new CheckpointException() : failed;
                    failed.addSuppressed(e);
                }
            }
            if (failed != null) {
                throw failed;
            }
        }

        @Override
        public synchronized void afterRestore(Context<? extends Resource> context) throws RestoreException {
            RestoreException failed = null;
            for (WeakReference<Resource> reference : resources) {
                Resource resource = reference.get();
                if (resource == null) {
                    continue;
                }
                try {
                    resource.afterRestore(this);
                } catch (Exception e) {
                    failed = failed == null ? new RestoreException() : failed;
                    failed.addSuppressed(e);
                }
            }
            if (failed != null) {
                throw failed;
            }
        }
    }
}
