/**
 * Internal: the strict change feed (design 0017): markers written after commits, one listing per
 * poll for every subscribed manifest of a client, and the budgeted sweep behind it. Not an API; may
 * change in any release.
 */
@NullMarked
package io.mps3.internal.feed;

import org.jspecify.annotations.NullMarked;
