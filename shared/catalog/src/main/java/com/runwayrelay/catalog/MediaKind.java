package com.runwayrelay.catalog;

/** The three kinds of media Runway takes in and produces. */
public enum MediaKind {
    IMAGE, VIDEO, AUDIO
}
