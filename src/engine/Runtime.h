#pragma once
// The engine's runtime as one include: traps, compiled modules, the compile
// pipeline (Engine), stores and instances. Each part has its own header.
#include "engine/CompiledModule.h"
#include "engine/Engine.h"
#include "engine/Store.h"
#include "engine/Trap.h"
