/**
 * {@code ./relay apps|tasks|usage} over the admin HTTP API ({@code docs/admin-api.md}): every request
 * signed with SigV4 (service {@code execute-api}) by the AWS SDK's signer, against the local stack
 * (its {@code stack.json} credentials) or a deployed one ({@code --url} or {@code --stack}, the
 * default AWS credential chain).
 */
package com.runwayrelay.local.admin;
