"""WSGI entry point: gunicorn wsgi:app"""

from peerpath.app import create_app

app = create_app()
