/**
 * What the functions' SnapStart priming hooks share: whether the process is a Lambda runtime's
 * ({@link com.runwayrelay.aws.priming.LambdaRuntime}, the only place a hook is registered), an app
 * repository that only looks up the one key no app has and never lets a failed read escape
 * ({@link com.runwayrelay.aws.priming.PrimingApps}), the read-only request a hook sends its API, taken
 * the way the function's stream handler takes a real one
 * ({@link com.runwayrelay.aws.priming.PrimingRequest}), and the handler-side holder that keeps a
 * hook alive ({@link com.runwayrelay.aws.priming.PrimedApi}). The hooks themselves, which implement
 * {@code org.crac.Resource}, live in their functions; nothing here depends on {@code org.crac}.
 */
package com.runwayrelay.aws.priming;
