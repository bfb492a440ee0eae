/*
 * mimi/mimi.h — the MIMI layer's public API in one include: content
 * (draft-ietf-mimi-content), identity URIs, delivery/read status, attachments,
 * terminal rendering, the provider-to-provider protocol and room state / room
 * policy. Each part keeps its own header so a reader looking for one job lands
 * in one file; this header is what applications include.
 */
#ifndef MIMI_MIMI_H
#define MIMI_MIMI_H

#include "mimi/attachment.h"
#include "mimi/content.h"
#include "mimi/identity.h"
#include "mimi/policy.h"
#include "mimi/protocol.h"
#include "mimi/render.h"
#include "mimi/status.h"

#endif /* MIMI_MIMI_H */
