/**
 * The operator's use cases (the admin API): apps and their keys, tasks across apps, usage and
 * health. They return sealed outcomes or records and know nothing of HTTP or JSON; the admin
 * function's edge only translates them.
 */
package com.runwayrelay.domain.admin;
