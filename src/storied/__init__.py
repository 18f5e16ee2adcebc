"""storied: Pydantic models as tables whose data keeps its story."""

from .engine.async_database import AsyncDatabase as AsyncDatabase
from .engine.database import Database as Database
from .engine.events import Events as Events
from .engine.events import OperationEvent as OperationEvent
from .engine.events import StatementEvent as StatementEvent
from .engine.resilience import CircuitBreaker as CircuitBreaker
from .engine.resilience import Retries as Retries
from .errors import BlockedChangeError as BlockedChangeError
from .errors import CircuitOpenError as CircuitOpenError
from .errors import ConfigurationError as ConfigurationError
from .errors import ConflictError as ConflictError
from .errors import DatabaseError as DatabaseError
from .errors import DatabaseTimeout as DatabaseTimeout
from .errors import DataError as DataError
from .errors import DestructiveChangeError as DestructiveChangeError
from .errors import IntegrityError as IntegrityError
from .errors import InvalidCursorError as InvalidCursorError
from .errors import InvalidKeyError as InvalidKeyError
from .errors import MissingTenantScope as MissingTenantScope
from .errors import MissingToolError as MissingToolError
from .errors import ModelDefinitionError as ModelDefinitionError
from .errors import MultipleResultsError as MultipleResultsError
from .errors import NotConnectedError as NotConnectedError
from .errors import NotFoundError as NotFoundError
from .errors import ObjectExistsError as ObjectExistsError
from .errors import ObjectNotFoundError as ObjectNotFoundError
from .errors import OperationalError as OperationalError
from .errors import OperationsError as OperationsError
from .errors import OutcomeUnknownError as OutcomeUnknownError
from .errors import PreconditionFailedError as PreconditionFailedError
from .errors import RelationNotLoaded as RelationNotLoaded
from .errors import RestoreRefused as RestoreRefused
from .errors import SchemaApplyError as SchemaApplyError
from .errors import SchemaError as SchemaError
from .errors import StalePlanError as StalePlanError
from .errors import StorageAccessDenied as StorageAccessDenied
from .errors import StorageError as StorageError
from .errors import StorageUnavailableError as StorageUnavailableError
from .errors import StoriedError as StoriedError
from .errors import TenantViolation as TenantViolation
from .errors import TransactionConflict as TransactionConflict
from .errors import UnknownFieldError as UnknownFieldError
from .errors import UnsupportedOperationError as UnsupportedOperationError
from .errors import UsageError as UsageError
from .errors import ValidationError as ValidationError
from .mapping.partitions import HistoryPartitions as HistoryPartitions
from .mapping.registry import Registry as Registry
from .models.base import Model as Model
from .models.fields import ColumnInfo as ColumnInfo
from .models.fields import Field as Field
from .models.ids import uuid7 as uuid7
from .models.relations import Relationship as Relationship
from .ops.changes import ChangeEvent as ChangeEvent
from .query.bound import AsyncQuery as AsyncQuery
from .query.bound import SyncQuery as SyncQuery
from .query.compound import AsyncCompound as AsyncCompound
from .query.compound import Compound as Compound
from .query.compound import SyncCompound as SyncCompound
from .query.cte import Cte as Cte
from .query.expressions import F as F
from .query.expressions import func as func
from .query.query import Query as Query
from .repository.asyncio import AsyncRepository as AsyncRepository
from .repository.sync import Repository as Repository
from .schema import ApplyResult as ApplyResult
from .schema import Plan as Plan
from .schema import Step as Step
from .temporal.clock import Clock as Clock
from .temporal.clock import FrozenClock as FrozenClock
from .temporal.clock import SystemClock as SystemClock
from .temporal.feed import ChangePage as ChangePage
from .temporal.records import ChangeSet as ChangeSet
from .temporal.records import FieldChange as FieldChange
from .temporal.records import Version as Version

__version__ = "0.1.0"

__all__ = [
    "ApplyResult",
    "AsyncCompound",
    "AsyncDatabase",
    "AsyncQuery",
    "AsyncRepository",
    "BlockedChangeError",
    "ChangeEvent",
    "ChangePage",
    "ChangeSet",
    "CircuitBreaker",
    "CircuitOpenError",
    "Clock",
    "ColumnInfo",
    "Compound",
    "ConfigurationError",
    "ConflictError",
    "Cte",
    "DataError",
    "Database",
    "DatabaseError",
    "DatabaseTimeout",
    "DestructiveChangeError",
    "Events",
    "F",
    "Field",
    "FieldChange",
    "FrozenClock",
    "HistoryPartitions",
    "IntegrityError",
    "InvalidCursorError",
    "InvalidKeyError",
    "MissingTenantScope",
    "MissingToolError",
    "Model",
    "ModelDefinitionError",
    "MultipleResultsError",
    "NotConnectedError",
    "NotFoundError",
    "ObjectExistsError",
    "ObjectNotFoundError",
    "OperationEvent",
    "OperationalError",
    "OperationsError",
    "OutcomeUnknownError",
    "Plan",
    "PreconditionFailedError",
    "Query",
    "Registry",
    "RelationNotLoaded",
    "Relationship",
    "Repository",
    "RestoreRefused",
    "Retries",
    "SchemaApplyError",
    "SchemaError",
    "StalePlanError",
    "StatementEvent",
    "Step",
    "StorageAccessDenied",
    "StorageError",
    "StorageUnavailableError",
    "StoriedError",
    "SyncCompound",
    "SyncQuery",
    "SystemClock",
    "TenantViolation",
    "TransactionConflict",
    "UnknownFieldError",
    "UnsupportedOperationError",
    "UsageError",
    "ValidationError",
    "Version",
    "func",
    "uuid7",
]
