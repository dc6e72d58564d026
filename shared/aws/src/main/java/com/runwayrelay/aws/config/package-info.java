/**
 * Reading a function's configuration from its environment, once, into validated records.
 */
package com.runwayrelay.aws.config;
