package com.runwayrelay.domain;

/** A task id was reused: ids are minted as UUIDs, so this means a bug or a replayed write. */
public final class TaskAlreadyExistsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TaskAlreadyExistsException(String taskId) {
        super("task " + taskId + " already exists");
    }
}
