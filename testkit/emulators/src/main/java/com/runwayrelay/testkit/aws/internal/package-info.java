/**
 * Implementation details of the emulators that must be public for a service loader. Not an API:
 * nothing outside this module should refer to these types.
 */
package com.runwayrelay.testkit.aws.internal;
