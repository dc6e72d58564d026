/**
 * The gateway's domain: task lifecycle, records and the ports adapters implement.
 *
 * <p>This module depends on nothing but the JDK: no AWS SDK, no HTTP client, no JSON library.
 * {@code DomainDependencyRuleTest} fails the build when an import breaks that rule.
 */
package com.runwayrelay.domain;
