/** An in-memory fake of the metrics port for tests. */
package com.runwayrelay.domain.metrics.memory;
