"""Shared singletons, created without an app (the app factory initialises them).

This module imports nothing of the project, so every other module can import it.
"""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

# Flask-SQLAlchemy gives us the app role's engine and a session scoped to the app
# context; models use the declarative bases in peerpath.models, not db.Model.
db = SQLAlchemy(session_options={"expire_on_commit": False})
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
