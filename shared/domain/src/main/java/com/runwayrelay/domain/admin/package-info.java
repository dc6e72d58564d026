/**
 * The operator's use cases (the admin API): apps and their keys. They return sealed outcomes and
 * know nothing of HTTP or JSON; the admin function's edge renders them.
 */
package com.runwayrelay.domain.admin;
