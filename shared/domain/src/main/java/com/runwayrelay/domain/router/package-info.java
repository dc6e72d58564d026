/** Model Router configurations as the gateway records them: the credit cap a routed generation reserves. */
package com.runwayrelay.domain.router;
