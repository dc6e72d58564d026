package com.runwayrelay.local.admin;

import java.util.Map;

/** The outputs of a deployed CloudFormation stack. */
interface StackOutputs {

    /**
     * The outputs of a stack, by output key.
     *
     * @throws StackLookupException when the stack does not exist or cannot be read
     */
    Map<String, String> outputs(String stackName);
}
