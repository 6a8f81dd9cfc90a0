"""quietwire.crypto"""
