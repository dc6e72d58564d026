/** In-memory fakes of the archive ports, for unit tests of the archiver and its callers. */
package com.runwayrelay.domain.archive.memory;
