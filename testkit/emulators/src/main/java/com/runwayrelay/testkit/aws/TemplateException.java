package com.runwayrelay.testkit.aws;

/**
 * A CloudFormation template could not be read, or does not contain what the caller asked for
 * (a resource, a section, a property of the expected shape). The message names the template
 * and the path inside it.
 */
public final class TemplateException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that names the template and the offending path. */
    TemplateException(String message) {
        super(message);
    }

    /** Creates the exception with a message and the underlying parse or I/O failure. */
    TemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
