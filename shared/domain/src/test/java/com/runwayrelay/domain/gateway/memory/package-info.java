/** In-memory fakes of the gateway ports, with the same conditional semantics as the DynamoDB adapters. */
package com.runwayrelay.domain.gateway.memory;
