/* error.c — code → message and code → name for the one mimi_err enum. */
#include "mimi/base.h"

const char *mimi_strerror(mimi_err err) {
  switch (err) {
#define MIMI_ERR_MSG_(name, code, msg) \
  case MIMI_ERR_##name:                \
    return msg;
    MIMI_ERRORS(MIMI_ERR_MSG_)
#undef MIMI_ERR_MSG_
  }
  return "unknown error";
}

const char *mimi_errname(mimi_err err) {
  switch (err) {
#define MIMI_ERR_NAME_(name, code, msg) \
  case MIMI_ERR_##name:                 \
    return "MIMI_ERR_" #name;
    MIMI_ERRORS(MIMI_ERR_NAME_)
#undef MIMI_ERR_NAME_
  }
  return "MIMI_ERR_?";
}
