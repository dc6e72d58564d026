package com.runwayrelay.testkit.aws;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class with {@link AwsEmulatorsExtension}: declare an {@link AwsEmulators}
 * parameter on the constructor, a test method or a lifecycle method to receive the run's shared
 * instance.
 *
 * <pre>{@code
 * @WithAwsEmulators
 * class TaskRepositoryIT {
 *     private final AwsEmulators aws;
 *     TaskRepositoryIT(AwsEmulators aws) { this.aws = aws; }
 * }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@ExtendWith(AwsEmulatorsExtension.class)
public @interface WithAwsEmulators {
}
