/**
 * A checkpoint stand-in for the cold-start benchmark's child JVM: the five types {@code org.crac} looks for when
 * its system property {@code org.crac.Core.Compat} names a package (as the Lambda runtime names its own), so a
 * function's {@code org.crac.Core.getGlobalContext().register(...)} lands in {@link
 * com.runwayrelay.bench.coldstart.crac.Core}'s global context. {@link com.runwayrelay.bench.coldstart.crac.Core#checkpointRestore()}
 * then runs the registered hooks in this process, {@code beforeCheckpoint} then {@code afterRestore}, with no
 * snapshot in between: what a SnapStart restore would start from, as far as loaded classes and compiled code go.
 * A JVM without CRaC (this one) has no other way to run them: {@code org.crac} alone drops registrations there.
 */
package com.runwayrelay.bench.coldstart.crac;
