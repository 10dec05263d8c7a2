"""The yardstick: a bare Flask app with one endpoint doing one database round trip
(`SELECT 1` through a SQLAlchemy pool like the app's), served by the same gunicorn settings."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import create_engine, text

from peerpath.config import load_config

config = load_config()
engine = create_engine(config["SQLALCHEMY_DATABASE_URI"],
                       **config["SQLALCHEMY_ENGINE_OPTIONS"])
app = Flask(__name__)


@app.get("/")
def one_round_trip():
    with engine.connect() as conn:
        return str(conn.execute(text("SELECT 1")).scalar_one())
